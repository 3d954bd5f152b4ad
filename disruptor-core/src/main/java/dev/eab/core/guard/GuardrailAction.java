package dev.eab.core.guard;

import java.util.Locale;

/**
 * What the caller does when a family matches. The scanner itself only reports matches; applying the
 * action is the validate stage's job.
 */
public enum GuardrailAction
{
    /** Reject the message (the default). */
    BLOCK,
    /** Deliver the message with a warning and metadata. */
    FLAG,
    /** Do not scan for the family at all: its patterns are not compiled and its bit is never set. */
    OFF;

    /** @return the action named {@code text} in a pattern file ({@code block}, {@code flag}, {@code off}), or null. */
    public static GuardrailAction parse(final String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "block" -> BLOCK;
            case "flag" -> FLAG;
            case "off" -> OFF;
            default -> null;
        };
    }

    /** @return the name used in pattern files. */
    public String yamlName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
