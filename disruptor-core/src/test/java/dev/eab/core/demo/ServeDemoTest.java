package dev.eab.core.demo;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationStatus;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.TestTokens;
import dev.eab.core.ops.TokenRejectedException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeDemoTest
{
    @Test
    void holdsTheDemoMessagesAndPrintsATokenTheServerAccepts() throws Exception
    {
        final ServeDemo demo = ServeDemo.fromEnvironment(Map.of());
        final BusConfiguration config = demo.configure(BusConfiguration.forTesting());
        assertTrue(config.governance().enabled());
        assertEquals(ServeDemo.DEMO_TIMEOUT_MS, config.governance().timeoutMs());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
        {
            bus.start();
            final int held = demo.populate(bus, "http://127.0.0.1:1234", new PrintStream(bytes, true, StandardCharsets.UTF_8));
            final String out = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(3, held, out);
            final List<DeliberationItem> pending = bus.deliberations().pending();
            assertEquals(3, pending.size());
            pending.forEach(item -> assertEquals(DeliberationStatus.UNDER_REVIEW, item.status()));
            assertTrue(out.contains("http://127.0.0.1:1234/console/"), out);
            final String token = out.lines().filter(l -> l.startsWith("  token:")).findFirst().orElseThrow().substring("  token:".length()).strip();
            assertEquals(ServeDemo.REVIEWER, demo.auth().verify("Bearer " + token, BearerAuth.REVIEWER_ROLE).subject());
            // The generated secret is the run's own: a token from any other secret is refused.
            assertEquals(401, assertThrows(TokenRejectedException.class,
                () -> demo.auth().verify("Bearer " + TestTokens.reviewer("alice"), BearerAuth.REVIEWER_ROLE)).status());
        }
        // With a configured secret the demo signs with it, so './eab deliberations token' works against it too.
        final ServeDemo configured = ServeDemo.fromEnvironment(Map.of(BearerAuth.ENV_HS256_SECRET, new String(TestTokens.SECRET, StandardCharsets.UTF_8),
            "EAB_DELIBERATION_TIMEOUT_MS", "5000"));
        assertEquals("alice", configured.auth().verify("Bearer " + TestTokens.reviewer("alice"), BearerAuth.REVIEWER_ROLE).subject());
        assertEquals(BusConfiguration.forTesting().governance().timeoutMs(),
            configured.configure(BusConfiguration.forTesting()).governance().timeoutMs());
    }
}
