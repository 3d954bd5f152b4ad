package dev.eab.api.exception;

/**
 * Thrown when a required policy does not exist (mirrors {@code PolicyNotFoundError}).
 */
public class PolicyNotFoundException extends PolicyException
{
    private final String policyPath;

    /**
     * @param policyPath the missing policy.
     */
    public PolicyNotFoundException(final String policyPath)
    {
        super("Policy not found: " + policyPath, detailsOf("policy_path", policyPath));
        this.policyPath = policyPath;
    }

    /** @return the missing policy. */
    public String policyPath()
    {
        return policyPath;
    }
}
