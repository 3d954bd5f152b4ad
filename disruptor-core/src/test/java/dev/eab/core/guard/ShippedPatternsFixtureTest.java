package dev.eab.core.guard;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ffi-headers/guard_shipped_patterns.json} is the shipped pattern set as the Rust scanner receives it
 * ({@link GuardrailPatterns#defaults()}{@code .toNativeJson()}); the Rust tests of the short-text scan path
 * ({@code guard::short_path_tests}) load it with {@code include_str!}. This test keeps the fixture equal to what
 * the Java side ships, so those tests always run the real set: regenerate it with the message below when the
 * pattern set changes.
 */
class ShippedPatternsFixtureTest
{
    static final String FIXTURE = "ffi-headers/guard_shipped_patterns.json";

    @Test
    void fixtureEqualsTheShippedSetsNativeJson() throws Exception
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(FIXTURE)))
        {
            dir = dir.getParent();
        }
        assertNotNull(dir, FIXTURE + " not found above " + Path.of("").toAbsolutePath());
        final String fixture = Files.readString(dir.resolve(FIXTURE), StandardCharsets.UTF_8);
        assertEquals(GuardrailPatterns.defaults().toNativeJson(), fixture,
            FIXTURE + " is stale: write GuardrailPatterns.defaults().toNativeJson() into it (UTF-8, no newline added)");
    }
}
