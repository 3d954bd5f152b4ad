package dev.eab.api;

/** Lifecycle status of a message, with the original's lowercase wire values. */
public enum MessageStatus
{
    PENDING("pending"),
    PROCESSING("processing"),
    DELIVERED("delivered"),
    FAILED("failed"),
    EXPIRED("expired"),
    PENDING_DELIBERATION("pending_deliberation"),
    VALIDATED("validated");

    private final String value;

    MessageStatus(final String value)
    {
        this.value = value;
    }

    /** @return the lowercase wire value. */
    public String value()
    {
        return value;
    }

    /** Parses a wire value or enum name, case-insensitively. */
    public static MessageStatus fromValue(final String text)
    {
        for (final MessageStatus s : values())
        {
            if (s.value.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text))
            {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown message status '" + text + "'");
    }
}
