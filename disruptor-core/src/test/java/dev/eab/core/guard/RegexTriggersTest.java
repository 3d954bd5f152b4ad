package dev.eab.core.guard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Trigger conditions are strings every match must contain, and none when there is no such selective set.
 * The same regexes as the Rust unit test {@code triggers_are_required_literals}; the Java side keeps more
 * conditions (see {@link RegexTriggers#MIN_RARITY}), so some answers differ on purpose. (Soundness over real texts
 * is shown by {@code GuardDifferentialTest}, which also checks both scanners against a trigger-free
 * reference.)
 */
class RegexTriggersTest
{
    @Test
    void triggersAreRequiredStrings()
    {
        assertEquals(List.of(List.of("disregard", "ignore"), List.of("all")), RegexTriggers.of("(?:ignore|disregard)[ ]+all"));
        assertEquals(List.of(List.of("mode"), List.of("dan")), RegexTriggers.of("(?:^|[^a-z])dan[ ]+mode"));
        // code punctuation ranks above letters, prose punctuation below; up to four conditions, rarest first
        assertEquals(List.of(List.of("1=1"), List.of("or"), List.of("'")), RegexTriggers.of("'[ ]*or[ ]+1=1"));
        assertEquals(List.of(List.of("="), List.of("and", "or")), RegexTriggers.of("x[ ]*(?:or|and)[ ]*="));
        assertEquals(List.of(List.of("="), List.of("or"), List.of("\"", "'")), RegexTriggers.of("['\"][ ]*or[ ]*="));
        assertEquals(List.of(List.of("<"), List.of("=")), RegexTriggers.of("<[a-z]+[ ]*="));
        assertEquals(List.of(List.of("xyz")), RegexTriggers.of("(?:x|)xyz"));
        assertEquals(List.of(List.of("abc")), RegexTriggers.of("(?:abc){2,}"));
        assertEquals(List.of(List.of("ét"), List.of("é")), RegexTriggers.of("été+"));
        assertEquals(List.of(List.of("a.*")), RegexTriggers.of("a\\.\\*"));
        // a run followed by one character of a small class: the run joined to each (one set, rarer than the two apart)
        assertEquals(List.of(List.of("../", "..\\")), RegexTriggers.of("(?:^|[^.])\\.\\.[/\\\\]"));
        assertEquals(List.of(List.of("x=1", "x=2"), List.of("<")), RegexTriggers.of("x=[12]<"));
        // ... but not when the class is quantified (it may repeat or be absent)
        assertEquals(List.of(List.of("x="), List.of("1", "2")), RegexTriggers.of("x=[12]+"));
        assertEquals(List.of(List.of("x=")), RegexTriggers.of("x=[12]?"));
    }

    @Test
    void noTriggersWhereNothingSelectiveIsRequired()
    {
        assertNull(RegexTriggers.of("[ab]c?"));
        assertNull(RegexTriggers.of("a?"));
        assertNull(RegexTriggers.of("[^a]+"));
        assertNull(RegexTriggers.of("(?:x|)"));
        assertNull(RegexTriggers.of("[a-z]{3}"));
        assertNull(RegexTriggers.of("x*|y"));
        assertNull(RegexTriggers.of("a{0,3}b?"));
        assertNull(RegexTriggers.of("[ ]+[a-z]"), "a space is too common to be a condition");
    }

    @Test
    void everyShippedRegexHasTriggers()
    {
        for (final GuardrailFamily f : GuardrailPatterns.defaults().families())
        {
            for (final String re : f.regexes())
            {
                assertNotNull(RegexTriggers.of(re), f.name() + ": " + re + " would run on every text");
            }
        }
    }
}
