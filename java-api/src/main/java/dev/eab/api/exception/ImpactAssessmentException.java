package dev.eab.api.exception;

/**
 * Thrown when an impact assessment cannot be completed (mirrors {@code ImpactAssessmentError}).
 */
public class ImpactAssessmentException extends GovernanceException
{
    private final String assessmentType;
    private final String reason;

    /**
     * @param assessmentType the kind of assessment.
     * @param reason         why it failed.
     */
    public ImpactAssessmentException(final String assessmentType, final String reason)
    {
        super(
            "Impact assessment failed for '" + assessmentType + "': " + reason,
            detailsOf("assessment_type", assessmentType, "reason", reason));
        this.assessmentType = assessmentType;
        this.reason = reason;
    }

    /** @return the kind of assessment. */
    public String assessmentType()
    {
        return assessmentType;
    }

    /** @return why it failed. */
    public String reason()
    {
        return reason;
    }
}
