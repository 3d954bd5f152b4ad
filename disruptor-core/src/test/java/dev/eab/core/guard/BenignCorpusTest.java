package dev.eab.core.guard;

import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ordinary agent traffic must pass: a generated corpus of realistic messages (task requests, agent
 * coordination, market data, code review, SQL-free analytics, URLs, file paths without traversal,
 * JSON-ish payloads, multilingual text) and a hand-written list of near misses (honest text that shares
 * words with an attack) produce no match of any blocking family, in either engine, also after
 * obfuscations that do not change the normalised text.
 */
class BenignCorpusTest
{
    /** Generated messages (the issue asks for at least 1,000). */
    static final int GENERATED = 5_000;
    /** Failures listed in the assertion message at most. */
    static final int MAX_REPORTED = 20;

    static final long SEED = Long.getLong("eab.test.seed", new SplittableRandom().nextLong());

    /** Honest sentences that come close to a pattern: each guards one precision decision in the shipped file. */
    static final List<String> NEAR_MISSES = List.of(
        "We can't do anything now until the market opens.",
        "We can do anything now that the release is out.",
        "You can't do anything now; the ledger is locked until 18:00.",
        "I cannot do anything now without the CFO's approval, and nobody can do anything now before the vendor replies.",
        "Don't do anything now, wait for the deploy. Is there anything we can do now?",
        "If you can, do anything now that unblocks the release.",
        "We can do anything now that the build is green.",
        "The persona of our support bot is friendly but brief.",
        "Override the default timeout to 30 s for the batch job.",
        "Marketing wants a persona override review and a persona adoption survey next quarter.",
        "Buyer persona adoption across the sales team rose to 60% in Q3.",
        "The CRM stores a persona override per account; clear it before the import.",
        "Persona overrides are kept per tenant in the settings table; the persona adoption rate is on the dashboard.",
        "Please follow the previous instructions for ticket 42.",
        "Ignore the previous build failure; it was flaky.",
        "Please disregard my last message, it had a typo.",
        "Forget about the previous version of the report.",
        "Ignore the linter warnings about unused imports.",
        "We must not override existing rules without a review.",
        "Enable developer mode on the test phone to install the APK.",
        "You are now in read-only mode until the migration finishes.",
        "Agent ops-3 is now in maintenance mode.",
        "The new system prompt for the support bot ships on Friday.",
        "Show the system prompt configuration in the admin panel.",
        "The API can be called without any restrictions on region.",
        "Grant write access without any restrictions to the admin group.",
        "The vendor is no longer bound by the old contract.",
        "Pretend you are the customer and walk through the checkout flow.",
        "Act as the reviewer for this pull request.",
        "From now on, you will receive the reports at 09:00.",
        "Your new role is reviewer for the pricing service.",
        "Hi Dan, can you review PR 12? Dan can take the on-call shift; Jordan mode of transport is rail.",
        "Use a List<Object> or a Map<String, ScriptRunner> here; List<Embedding> too.",
        "See src/.../OrderBook.java and lib/…/bar.py for the elided paths.",
        "Languages: JavaScript: 40%, TypeScript: 35%. JavaScript: document the API first.",
        "Stack (JavaScript: React, Python: Django).",
        "The onload handler is slow; measure the onerror path too.",
        "Select the top 10 rows; the European Union select committee meets Tuesday.",
        "He said 'no' -- then left. Use the 'fast' or 'safe' mode.",
        "Drop the outliers, then recompute; rows where x = 1 or y = 2 are kept.",
        "### Summary:\n### Systems overview\n### System status: green",
        "[Install] the package, then <<System>> banners disappear.",
        "Logs: /var/log/eab/bus.log, /etc/hosts is managed by ops, C:\\Users\\analyst\\report.xlsx.",
        "Ratio 1:1, cost $5 or $6, version 1..2 of the spec, ellipsis... done.",
        "Weekly sync ✅ 12 tasks done 🎉; Straße, façade, naïve, İstanbul, ΟΔΟΣ.",
        "请在周五之前完成对帐。第3四半期の売上は増加しました。Пожалуйста, проверьте отчёт.",
        "She wants to jail the breakpoints; the break room is open.",
        "Temperature 21 °C; Ω = 50 Ω; ½ cup; ﬁnal ﬂow; №5.");

    static GuardrailPatterns patterns;
    static NativeContentScanner rust;
    static JavaContentScanner twin;

    @BeforeAll
    static void open()
    {
        System.out.println("BenignCorpusTest seed=" + SEED + " (rerun with -Deab.test.seed=" + SEED + ")");
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        patterns = GuardrailPatterns.defaults();
        rust = new NativeContentScanner(patterns);
        twin = new JavaContentScanner(patterns);
    }

    @AfterAll
    static void close()
    {
        rust.close();
    }

    private static void check(final String text, final List<String> failures)
    {
        for (final ContentScanner s : List.of(rust, twin))
        {
            final long chars = s.scan(text) & patterns.blockMask();
            final long bytes = s.scan(text.getBytes(StandardCharsets.UTF_8)) & patterns.blockMask();
            if ((chars | bytes) != 0 && failures.size() < MAX_REPORTED)
            {
                failures.add(s.name() + " " + patterns.namesOf(chars | bytes) + ": " + text.replace("\n", "\\n"));
            }
        }
    }

    @Test
    void generatedBenignMessagesNeverMatch()
    {
        final SplittableRandom r = new SplittableRandom(SEED);
        final List<String> failures = new ArrayList<>();
        final Set<String> distinct = new HashSet<>();
        for (int i = 0; i < GENERATED; i++)
        {
            final String text = GuardCorpus.benign(r);
            distinct.add(text);
            check(text, failures);
            check(GuardCorpus.preservingObfuscation(r, text), failures);
        }
        assertEquals(List.of(), failures, "seed " + SEED + ": benign messages matched blocking families");
        assertTrue(distinct.size() >= GENERATED * 9 / 10, "the generator repeats itself: " + distinct.size() + " distinct of " + GENERATED);
    }

    @Test
    void nearMissesNeverMatch()
    {
        final List<String> failures = new ArrayList<>();
        for (final String text : NEAR_MISSES)
        {
            check(text, failures);
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everySentenceTemplateIsUsedAndClean()
    {
        final List<String> failures = new ArrayList<>();
        final List<List<String>> groups = List.of(GuardCorpus.TASKS, GuardCorpus.COORDINATION, GuardCorpus.REVIEW, GuardCorpus.URLS,
            GuardCorpus.PATHS, GuardCorpus.JSONISH, GuardCorpus.MULTILINGUAL);
        for (final List<String> group : groups)
        {
            for (final String template : group)
            {
                check(template.replace("%2$s", "agent").replace("%1$d", "7").replace("%s", "Acme").replace("%d", "7"), failures);
            }
        }
        assertEquals(List.of(), failures);
    }
}
