package dev.eab.api.exception;

import java.util.List;

/**
 * Thrown when a message fails validation (mirrors {@code MessageValidationError}).
 */
public class MessageValidationException extends MessageException
{
    private final String messageId;
    private final List<String> errors;
    private final List<String> warnings;

    /**
     * @param messageId the message's id.
     * @param errors    what is wrong; copied; {@code null} means empty.
     * @param warnings  non-fatal findings; copied; {@code null} means empty.
     */
    public MessageValidationException(final String messageId, final List<String> errors, final List<String> warnings)
    {
        final List<String> errorList = copyOf(errors);
        final List<String> warningList = copyOf(warnings);
        this.messageId = messageId;
        this.errors = errorList;
        this.warnings = warningList;
        super(
            "Message validation failed for '" + messageId + "': " + String.join("; ", errorList),
            detailsOf("message_id", messageId, "errors", errorList, "warnings", warningList));
    }

    /**
     * Without warnings.
     *
     * @param messageId the message's id.
     * @param errors    what is wrong; copied; {@code null} means empty.
     */
    public MessageValidationException(final String messageId, final List<String> errors)
    {
        this(messageId, errors, null);
    }

    /** @return the message's id. */
    public String messageId()
    {
        return messageId;
    }

    /** @return the errors, unmodifiable. */
    public List<String> errors()
    {
        return errors;
    }

    /** @return the warnings, unmodifiable, empty when none were given. */
    public List<String> warnings()
    {
        return warnings;
    }
}
