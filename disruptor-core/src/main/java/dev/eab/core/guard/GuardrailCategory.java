package dev.eab.core.guard;

import java.util.Locale;

/** The kind of attack a family detects; used for reporting (e.g. "Prompt injection detected"). */
public enum GuardrailCategory
{
    /** Attempts to override an agent's instructions, persona or chat template. */
    PROMPT_INJECTION,
    /** Cross-site scripting payloads. */
    XSS,
    /** SQL injection payloads. */
    SQL_INJECTION,
    /** Path traversal and sensitive-file payloads. */
    PATH_TRAVERSAL;

    /** @return the category named {@code text} in a pattern file (e.g. {@code prompt_injection}), or null. */
    public static GuardrailCategory parse(final String text)
    {
        for (final GuardrailCategory c : values())
        {
            if (c.yamlName().equals(text.trim().toLowerCase(Locale.ROOT)))
            {
                return c;
            }
        }
        return null;
    }

    /** @return the name used in pattern files. */
    public String yamlName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
