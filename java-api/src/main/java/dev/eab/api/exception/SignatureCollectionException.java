package dev.eab.api.exception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Thrown when the signatures a decision needs cannot be collected
 * (mirrors {@code SignatureCollectionError}).
 *
 * <p>As in the original, the details also list {@code missing_signers}: the required signers that have not
 * signed, in required order.
 */
public class SignatureCollectionException extends DeliberationException
{
    private final String decisionId;
    private final List<String> requiredSigners;
    private final List<String> collectedSigners;
    private final List<String> missingSigners;
    private final String reason;

    /**
     * @param decisionId       the decision.
     * @param requiredSigners  who must sign; copied; {@code null} means empty.
     * @param collectedSigners who has signed; copied; {@code null} means empty.
     * @param reason           why collection failed.
     */
    public SignatureCollectionException(
        final String decisionId,
        final List<String> requiredSigners,
        final List<String> collectedSigners,
        final String reason)
    {
        final List<String> required = copyOf(requiredSigners);
        final List<String> collected = copyOf(collectedSigners);
        final List<String> missing = missing(required, collected);
        this.decisionId = decisionId;
        this.requiredSigners = required;
        this.collectedSigners = collected;
        this.missingSigners = missing;
        this.reason = reason;
        super(
            "Signature collection failed for '" + decisionId + "': " + reason,
            detailsOf(
                "decision_id", decisionId,
                "required_signers", required,
                "collected_signers", collected,
                "missing_signers", missing,
                "reason", reason));
    }

    private static List<String> missing(final List<String> required, final List<String> collected)
    {
        final Set<String> have = new HashSet<>(collected);
        final Set<String> missing = new LinkedHashSet<>();
        for (final String signer : required)
        {
            if (!have.contains(signer))
            {
                missing.add(signer);
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(missing));
    }

    /** @return the decision. */
    public String decisionId()
    {
        return decisionId;
    }

    /** @return who must sign, unmodifiable. */
    public List<String> requiredSigners()
    {
        return requiredSigners;
    }

    /** @return who has signed, unmodifiable. */
    public List<String> collectedSigners()
    {
        return collectedSigners;
    }

    /** @return required minus collected, in required order, unmodifiable. */
    public List<String> missingSigners()
    {
        return missingSigners;
    }

    /** @return why collection failed. */
    public String reason()
    {
        return reason;
    }
}
