package dev.eab.core.guard;

import java.util.List;

/**
 * One family of the loaded pattern set: immutable, with its patterns already normalised.
 *
 * @param id          position in the loaded set, 0..63: the family's bit in a scan result is {@code 1L << id}.
 * @param name        unique name, e.g. {@code prompt_injection.instruction_override}.
 * @param category    what kind of attack it detects.
 * @param action      what the caller does on a match.
 * @param description free text, may be empty.
 * @param literals    normalised substrings (see {@link TextNormalizer}).
 * @param regexes     normalised regexes in the {@link RegexDialect}.
 * @param examples    texts this family must match, as written in the file (not normalised).
 */
public record GuardrailFamily(
    int id,
    String name,
    GuardrailCategory category,
    GuardrailAction action,
    String description,
    List<String> literals,
    List<String> regexes,
    List<String> examples)
{
    /** Copies the lists so the family stays immutable. */
    public GuardrailFamily
    {
        literals = List.copyOf(literals);
        regexes = List.copyOf(regexes);
        examples = List.copyOf(examples);
    }

    /** @return this family's bit in a scan result. */
    public long bit()
    {
        return 1L << id;
    }

    /** @return false when the action is {@link GuardrailAction#OFF}: its patterns are not scanned for. */
    public boolean enabled()
    {
        return action != GuardrailAction.OFF;
    }
}
