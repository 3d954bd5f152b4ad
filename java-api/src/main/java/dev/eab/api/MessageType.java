package dev.eab.api;

/**
 * The twelve message types of the original bus, with their lowercase wire values.
 * The ordinal is part of the native ABI ({@code EabMessageHeader.message_type}) and of policy
 * bitmasks: never reorder.
 */
public enum MessageType
{
    COMMAND("command"),
    QUERY("query"),
    RESPONSE("response"),
    EVENT("event"),
    NOTIFICATION("notification"),
    HEARTBEAT("heartbeat"),
    GOVERNANCE_REQUEST("governance_request"),
    GOVERNANCE_RESPONSE("governance_response"),
    CONSTITUTIONAL_VALIDATION("constitutional_validation"),
    TASK_REQUEST("task_request"),
    TASK_RESPONSE("task_response"),
    AUDIT_LOG("audit_log");

    private static final MessageType[] VALUES = values();
    private final String value;

    MessageType(final String value)
    {
        this.value = value;
    }

    /** @return the lowercase wire value, e.g. {@code "governance_request"}. */
    public String value()
    {
        return value;
    }

    /** @return the type for an ordinal; used on the flyweight path where types travel as ints. */
    public static MessageType fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * Parses a wire value (or an enum name), case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values when the text is unknown.
     */
    public static MessageType fromValue(final String text)
    {
        for (final MessageType t : VALUES)
        {
            if (t.value.equalsIgnoreCase(text) || t.name().equalsIgnoreCase(text))
            {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown message type '" + text + "'; expected one of " + java.util.Arrays.toString(VALUES));
    }
}
