package dev.eab.core.guard;

import java.util.List;

/**
 * The words for guardrail outcomes: a block reads as the original's "Prompt injection detected" (or the
 * category's equivalent) followed by the family names; a flag is a warning naming the families.
 */
public final class GuardrailTexts
{
    private GuardrailTexts()
    {
    }

    /** @return e.g. {@code Prompt injection detected (prompt_injection.instruction_override)}. */
    public static String blocked(final GuardrailPatterns patterns, final long blockedMask)
    {
        final List<String> names = patterns.namesOf(blockedMask);
        final GuardrailFamily first = patterns.family(Long.numberOfTrailingZeros(blockedMask));
        return headline(first.category()) + " (" + String.join(", ", names) + ")";
    }

    /** @return e.g. {@code Content flagged by guardrails: xss.script_tag}. */
    public static String flagged(final GuardrailPatterns patterns, final long flaggedMask)
    {
        return "Content flagged by guardrails: " + String.join(", ", patterns.namesOf(flaggedMask));
    }

    private static String headline(final GuardrailCategory category)
    {
        return switch (category)
        {
            case PROMPT_INJECTION -> "Prompt injection detected";
            case XSS -> "Cross-site scripting detected";
            case SQL_INJECTION -> "SQL injection detected";
            case PATH_TRAVERSAL -> "Path traversal detected";
        };
    }
}
