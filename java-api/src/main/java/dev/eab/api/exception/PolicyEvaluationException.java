package dev.eab.api.exception;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown when evaluating a policy fails (mirrors {@code PolicyEvaluationError}).
 */
public class PolicyEvaluationException extends PolicyException
{
    private final String policyPath;
    private final String reason;
    private final Map<String, Object> inputData;

    /**
     * @param policyPath the policy evaluated.
     * @param reason     why evaluation failed.
     * @param inputData  the input evaluated, may be {@code null}; copied.
     */
    public PolicyEvaluationException(final String policyPath, final String reason, final Map<String, Object> inputData)
    {
        final Map<String, Object> input = inputData == null
            ? null
            : Collections.unmodifiableMap(new LinkedHashMap<>(inputData));
        this.policyPath = policyPath;
        this.reason = reason;
        this.inputData = input;
        super(
            "Policy evaluation failed for '" + policyPath + "': " + reason,
            detailsOf("policy_path", policyPath, "reason", reason, "input_data", input));
    }

    /**
     * Without input data.
     *
     * @param policyPath the policy evaluated.
     * @param reason     why evaluation failed.
     */
    public PolicyEvaluationException(final String policyPath, final String reason)
    {
        this(policyPath, reason, null);
    }

    /** @return the policy evaluated. */
    public String policyPath()
    {
        return policyPath;
    }

    /** @return why evaluation failed. */
    public String reason()
    {
        return reason;
    }

    /** @return the input evaluated, unmodifiable, may be {@code null}. */
    public Map<String, Object> inputData()
    {
        return inputData;
    }
}
