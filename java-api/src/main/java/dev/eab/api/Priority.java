package dev.eab.api;

/**
 * Message priority, ascending. {@link #MEDIUM} is an alias of {@link #NORMAL} as in the original,
 * where {@code Priority.MEDIUM is Priority.NORMAL}.
 */
public enum Priority
{
    LOW(0),
    NORMAL(1),
    HIGH(2),
    CRITICAL(3);

    /** Alias of {@link #NORMAL}. */
    public static final Priority MEDIUM = NORMAL;

    private static final Priority[] VALUES = values();
    private final int value;

    Priority(final int value)
    {
        this.value = value;
    }

    /** @return the integer value written by {@code toMap()}: 0..3. */
    public int value()
    {
        return value;
    }

    /** @throws IllegalArgumentException when {@code value} is outside 0..3. */
    public static Priority fromValue(final int value)
    {
        if (value < 0 || value >= VALUES.length)
        {
            throw new IllegalArgumentException("Priority must be 0..3, got " + value);
        }
        return VALUES[value];
    }

    /** Parses an int value ("2") or a name ("high", "medium"), case-insensitively. */
    public static Priority parse(final String text)
    {
        final String t = text.trim();
        if ("medium".equalsIgnoreCase(t))
        {
            return MEDIUM;
        }
        for (final Priority p : VALUES)
        {
            if (p.name().equalsIgnoreCase(t) || String.valueOf(p.value).equals(t))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown priority '" + text + "'; expected LOW, NORMAL/MEDIUM, HIGH, CRITICAL or 0..3");
    }
}
