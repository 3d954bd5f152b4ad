package dev.eab.core.guard;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Java twin's regex engine answers "does it match anywhere" exactly as RE2/J does, for every shipped
 * regex over the shipped examples, generated corpus text and the dialect's corner cases (anchors, empty
 * loops, bounded repeats, negated classes, surrogate pairs, newlines).
 */
class NfaRegexTest
{
    private static void agree(final String regex, final String text)
    {
        final String normal = TextNormalizer.normalize(text);
        final boolean expected = Pattern.compile(regex).matcher(normal).find();
        final char[] chars = normal.toCharArray();
        assertEquals(expected, NfaRegex.compile(regex).find(chars, chars.length), () -> "/" + regex + "/ on \"" + normal + "\"");
    }

    @Test
    void cornerCasesOfTheDialect()
    {
        final String[][] cases = {
            {"^abc", "abc", "xabc", ""}, {"abc$", "abc", "abcx", "xxabc"}, {"^$|x", "", "y", "x"}, {"a.c", "abc", "a\nc", "a😀c", "ac"},
            {"(?:a|)b", "b", "ab", "c"}, {"(?:a*)*b", "aaab", "b", "aaa"}, {"x{2,3}y", "xy", "xxy", "xxxxy"}, {"x{2}", "x", "xx"},
            {"[^a-z]dan(?:[^a-z]|$)", "dan", " dan", "jordan", " dan!", " danny"}, {"[😀-😂]", "😁", "😃", "a"},
            {"[\\]\\[]", "]", "[", "x"}, {"a\\.\\*", "a.*", "a.b"}, {"[-a]b", "-b", "ab", "cb"}, {"q+?r", "qqr", "r"},
            {"\\t\\r\\n", "\t\r\n", "\t\n"}, {"é+", "ééé", "e"}, {"[^\\n]{0,3}z$", "abcz", "z", "a\nz", "abcdz"},
        };
        for (final String[] c : cases)
        {
            for (int k = 1; k < c.length; k++)
            {
                agree(c[0], c[k]);
            }
        }
    }

    @Test
    void everyShippedRegexOnExamplesAndCorpus()
    {
        final GuardrailPatterns patterns = GuardrailPatterns.defaults();
        final List<String> texts = new ArrayList<>();
        patterns.families().forEach(f -> texts.addAll(f.examples()));
        final SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < 400; i++)
        {
            texts.add(GuardCorpus.benign(r));
            texts.add(GuardCorpus.attackPhrase(r));
        }
        int matches = 0;
        for (final GuardrailFamily f : patterns.families())
        {
            for (final String regex : f.regexes())
            {
                for (final String t : texts)
                {
                    agree(regex, t);
                    matches += Pattern.compile(regex).matcher(TextNormalizer.normalize(t)).find() ? 1 : 0;
                }
            }
        }
        assertTrue(matches > 500, "the texts must exercise the regexes: " + matches);
    }
}
