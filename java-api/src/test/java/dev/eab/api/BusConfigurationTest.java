package dev.eab.api;

import dev.eab.api.exception.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** BusConfiguration: defaults, presets, the original's environment variables, validation naming the key, immutable copies. */
class BusConfigurationTest
{
    private static final List<String> BOOLEAN_KEYS = List.of("ENABLE_MACI", "MACI_STRICT_MODE", "ENABLE_METERING");

    private static NativeMode defaultNativeMode()
    {
        return NativeMode.parse(System.getProperty("eab.native", "auto"));
    }

    @Test
    void defaults()
    {
        final BusConfiguration c = BusConfiguration.defaults();
        assertEquals("cdd01ef066bc6cf2", c.constitutionalHash());
        assertEquals(defaultNativeMode(), c.nativeMode());
        assertEquals(16_384, c.ringSize());
        assertEquals(BusConfiguration.DEFAULT_RING_SIZE, c.ringSize());
        assertEquals(IdleStrategy.PHASED, c.idleStrategy());
        assertEquals(BackpressurePolicy.REJECT, c.backpressurePolicy());
        assertEquals(1_048_576, c.maxMessageSizeBytes());
        assertEquals(4_096, c.inboxCapacity());
        assertEquals(256, c.payloadCapacityBytes());
        assertEquals(65_536, c.maxAgents());
        assertNull(c.journalDir(), "journaling is off unless configured");
        assertEquals(Path.of("data", "journal"), BusConfiguration.forProduction().journalDir());
        assertNull(c.policyFile());
        assertTrue(c.enableMaci(), "original: enable_maci=True");
        assertTrue(c.maciStrictMode(), "original: maci_strict_mode=True");
        assertTrue(c.enableMetering(), "original: enable_metering=True");
        assertTrue(c.stageLatencyMetrics());
        assertEquals(0.8, c.impactThreshold());
        assertEquals(c.toMap(), BusConfiguration.builder().build().toMap());
    }

    @Test
    void forTestingTurnsTheOptionalMachineryOff()
    {
        final BusConfiguration c = BusConfiguration.forTesting();
        assertEquals(NativeMode.OFF, c.nativeMode(), "use_rust=False");
        assertFalse(c.enableMaci());
        assertFalse(c.maciStrictMode());
        assertFalse(c.enableMetering());
        assertEquals(1024, c.ringSize());
        assertEquals(Constitution.HASH, c.constitutionalHash());
    }

    @Test
    void forProductionTurnsEverythingOn()
    {
        final BusConfiguration c = BusConfiguration.forProduction();
        assertEquals(NativeMode.REQUIRED, c.nativeMode());
        assertTrue(c.enableMaci());
        assertTrue(c.maciStrictMode());
        assertTrue(c.enableMetering());
        assertEquals(Constitution.HASH, c.constitutionalHash());
    }

    @Test
    void emptyEnvironmentGivesTheDefaults()
    {
        assertEquals(BusConfiguration.defaults().toMap(), BusConfiguration.fromEnvironment(Map.of()).toMap());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "yes", "on", "y", "t", "TRUE", "Yes", "ON", " y ", "T"})
    void trueSpellings(final String spelling)
    {
        for (final String key : BOOLEAN_KEYS)
        {
            final Map<String, String> env = new HashMap<>(Map.of("ENABLE_MACI", "false", "MACI_STRICT_MODE", "false", "ENABLE_METERING", "false"));
            env.put(key, spelling);
            final BusConfiguration c = BusConfiguration.fromEnvironment(env);
            assertEquals(key.equals("ENABLE_MACI"), c.enableMaci(), key + "=" + spelling);
            assertEquals(key.equals("MACI_STRICT_MODE"), c.maciStrictMode(), key + "=" + spelling);
            assertEquals(key.equals("ENABLE_METERING"), c.enableMetering(), key + "=" + spelling);
        }
        assertTrue(BusConfiguration.parseBoolean("K", spelling));
        // USE_RUST=true keeps the default native mode (it does not force OFF).
        assertEquals(defaultNativeMode(), BusConfiguration.fromEnvironment(Map.of("USE_RUST", spelling)).nativeMode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "0", "no", "off", "n", "f", "FALSE", "No", "OFF", " f "})
    void falseSpellings(final String spelling)
    {
        for (final String key : BOOLEAN_KEYS)
        {
            final BusConfiguration c = BusConfiguration.fromEnvironment(Map.of(key, spelling));
            assertEquals(!key.equals("ENABLE_MACI"), c.enableMaci(), key + "=" + spelling);
            assertEquals(!key.equals("MACI_STRICT_MODE"), c.maciStrictMode(), key + "=" + spelling);
            assertEquals(!key.equals("ENABLE_METERING"), c.enableMetering(), key + "=" + spelling);
        }
        assertFalse(BusConfiguration.parseBoolean("K", spelling));
        assertEquals(NativeMode.OFF, BusConfiguration.fromEnvironment(Map.of("USE_RUST", spelling)).nativeMode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "", "  ", "2", "truee", "enabled", "nope"})
    void booleanGarbageIsAnErrorNamingTheKeyNotASilentFalse(final String garbage)
    {
        for (final String key : List.of("ENABLE_MACI", "MACI_STRICT_MODE", "ENABLE_METERING", "USE_RUST"))
        {
            assertKey(key, () -> BusConfiguration.fromEnvironment(Map.of(key, garbage)));
        }
    }

    @Test
    void environmentVariablesAreRead()
    {
        final Map<String, String> env = new HashMap<>();
        env.put("CONSTITUTIONAL_HASH", " 0123456789abcdef ");
        env.put("USE_RUST", "no");
        env.put("ENABLE_MACI", "0");
        env.put("MACI_STRICT_MODE", "off");
        env.put("ENABLE_METERING", "n");
        env.put("EAB_RING_SIZE", "1_024");
        env.put("EAB_IDLE_STRATEGY", "busy-spin");
        env.put("EAB_BACKPRESSURE", "block");
        env.put("EAB_MAX_MESSAGE_SIZE", "4096");
        env.put("EAB_INBOX_CAPACITY", "16");
        env.put("EAB_PAYLOAD_CAPACITY", "512");
        env.put("EAB_MAX_AGENTS", "100");
        env.put("EAB_JOURNAL_DIR", "/tmp/j");
        env.put("EAB_POLICY_FILE", "/tmp/p.yaml");
        env.put("EAB_IMPACT_THRESHOLD", "0.9");
        final BusConfiguration c = BusConfiguration.fromEnvironment(env);
        assertEquals("0123456789abcdef", c.constitutionalHash());
        assertEquals(NativeMode.OFF, c.nativeMode());
        assertFalse(c.enableMaci());
        assertFalse(c.maciStrictMode());
        assertFalse(c.enableMetering());
        assertEquals(1024, c.ringSize());
        assertEquals(IdleStrategy.BUSY_SPIN, c.idleStrategy());
        for (final IdleStrategy idle : IdleStrategy.values())
        {
            assertEquals(idle, BusConfiguration.fromEnvironment(Map.of("EAB_IDLE_STRATEGY", idle.name().toLowerCase(java.util.Locale.ROOT)))
                .idleStrategy(), "EAB_IDLE_STRATEGY names every strategy, " + idle + " included");
        }
        assertEquals(BackpressurePolicy.BLOCK, c.backpressurePolicy());
        assertEquals(4096, c.maxMessageSizeBytes());
        assertEquals(16, c.inboxCapacity());
        assertEquals(512, c.payloadCapacityBytes());
        assertEquals(100, c.maxAgents());
        assertEquals(Path.of("/tmp/j"), c.journalDir());
        assertEquals(Path.of("/tmp/p.yaml"), c.policyFile());
        assertEquals(0.9, c.impactThreshold());
    }

    @Test
    void eabNativeWinsOverUseRust()
    {
        assertEquals(NativeMode.REQUIRED, BusConfiguration.fromEnvironment(Map.of("USE_RUST", "false", "EAB_NATIVE", "required")).nativeMode());
        assertEquals(NativeMode.AUTO, BusConfiguration.fromEnvironment(Map.of("EAB_NATIVE", "Auto")).nativeMode());
    }

    @Test
    void blankHashInTheEnvironmentKeepsTheDefault()
    {
        assertEquals(Constitution.HASH, BusConfiguration.fromEnvironment(Map.of("CONSTITUTIONAL_HASH", "  ")).constitutionalHash());
    }

    @Test
    void garbageValuesAreErrorsNamingTheVariable()
    {
        assertKey("EAB_RING_SIZE", () -> BusConfiguration.fromEnvironment(Map.of("EAB_RING_SIZE", "big")));
        assertKey("EAB_MAX_MESSAGE_SIZE", () -> BusConfiguration.fromEnvironment(Map.of("EAB_MAX_MESSAGE_SIZE", "1MB")));
        assertKey("EAB_INBOX_CAPACITY", () -> BusConfiguration.fromEnvironment(Map.of("EAB_INBOX_CAPACITY", "")));
        assertKey("EAB_PAYLOAD_CAPACITY", () -> BusConfiguration.fromEnvironment(Map.of("EAB_PAYLOAD_CAPACITY", "1.5")));
        assertKey("EAB_MAX_AGENTS", () -> BusConfiguration.fromEnvironment(Map.of("EAB_MAX_AGENTS", "lots")));
        assertKey("EAB_NATIVE", () -> BusConfiguration.fromEnvironment(Map.of("EAB_NATIVE", "sometimes")));
        assertKey("EAB_IDLE_STRATEGY", () -> BusConfiguration.fromEnvironment(Map.of("EAB_IDLE_STRATEGY", "nap")));
        assertKey("EAB_BACKPRESSURE", () -> BusConfiguration.fromEnvironment(Map.of("EAB_BACKPRESSURE", "drop")));
        assertKey("EAB_IMPACT_THRESHOLD", () -> BusConfiguration.fromEnvironment(Map.of("EAB_IMPACT_THRESHOLD", "high")));
        // Values that parse but are invalid name the option.
        assertKey("ring_size", () -> BusConfiguration.fromEnvironment(Map.of("EAB_RING_SIZE", "1000")));
        assertKey("constitutional_hash", () -> BusConfiguration.fromEnvironment(Map.of("CONSTITUTIONAL_HASH", "not-a-hash")));
        assertKey("impact_threshold", () -> BusConfiguration.fromEnvironment(Map.of("EAB_IMPACT_THRESHOLD", "NaN")));
    }

    @Test
    void validationNamesTheKey()
    {
        for (final int bad : new int[] {0, 1, -2, 3, 1000, 1025, Integer.MIN_VALUE})
        {
            assertKey("ring_size", () -> BusConfiguration.builder().ringSize(bad).build());
        }
        assertEquals(2, BusConfiguration.builder().ringSize(2).build().ringSize());
        assertEquals(1 << 20, BusConfiguration.builder().ringSize(1 << 20).build().ringSize());

        assertKey("constitutional_hash", () -> BusConfiguration.builder().constitutionalHash("cdd01ef066bc6cf").build());
        assertKey("constitutional_hash", () -> BusConfiguration.builder().constitutionalHash("cdd01ef066bc6cf21").build());
        assertKey("constitutional_hash", () -> BusConfiguration.builder().constitutionalHash("zdd01ef066bc6cf2").build());
        assertKey("constitutional_hash", () -> BusConfiguration.builder().constitutionalHash("cdd01ef066bc6cf\u00e9").build());
        // Non-ASCII digits that Character.digit accepts (Arabic-Indic three, fullwidth A) are not hex here.
        assertKey("constitutional_hash", () -> BusConfiguration.builder().constitutionalHash("cdd01ef066bc6cf\u0663").build());
        assertKey("constitutional_hash", () -> BusConfiguration.builder().constitutionalHash("cdd01ef066bc6cf\uFF21").build());
        assertKey("max_message_size_bytes", () -> BusConfiguration.builder().maxMessageSizeBytes(0).build());
        assertKey("inbox_capacity", () -> BusConfiguration.builder().inboxCapacity(0).build());
        assertKey("inbox_capacity", () -> BusConfiguration.builder().inboxCapacity(-1).build());
        assertKey("payload_capacity_bytes", () -> BusConfiguration.builder().payloadCapacityBytes(0).build());
        assertKey("payload_capacity_bytes", () -> BusConfiguration.builder().maxMessageSizeBytes(100).payloadCapacityBytes(101).build());
        assertKey("max_agents", () -> BusConfiguration.builder().maxAgents(0).build());
        assertKey("impact_threshold", () -> BusConfiguration.builder().impactThreshold(0.0).build());
        assertKey("impact_threshold", () -> BusConfiguration.builder().impactThreshold(1.01).build());
        assertKey("impact_threshold", () -> BusConfiguration.builder().impactThreshold(Double.NaN).build());
        assertEquals(1.0, BusConfiguration.builder().impactThreshold(1.0).build().impactThreshold());
        final ConfigurationException nulls = assertThrows(ConfigurationException.class, () -> BusConfiguration.builder().nativeMode(null).build());
        assertTrue(nulls.getMessage().contains("native_mode"), nulls.getMessage());
        assertThrows(ConfigurationException.class, () -> BusConfiguration.builder().idleStrategy(null).build());
        assertThrows(ConfigurationException.class, () -> BusConfiguration.builder().backpressurePolicy(null).build());
        assertNull(BusConfiguration.builder().journalDir(null).build().journalDir(), "null: journaling off");
        assertNull(BusConfiguration.fromEnvironment(java.util.Map.of("EAB_JOURNAL_DIR", "off")).journalDir());
    }

    @Test
    void anEmptyHashResetsToTheDefaultAsInTheOriginal()
    {
        assertEquals(Constitution.HASH, BusConfiguration.builder().constitutionalHash("").build().constitutionalHash());
        assertEquals(Constitution.HASH, BusConfiguration.builder().constitutionalHash(null).build().constitutionalHash());
        assertEquals("ABCDEF0123456789", BusConfiguration.builder().constitutionalHash("ABCDEF0123456789").build().constitutionalHash());
    }

    @Test
    void withCopiesAreNewInstancesAndLeaveTheOriginalAlone()
    {
        final BusConfiguration base = BusConfiguration.forTesting();
        final Map<String, Object> before = base.toMap();

        final BusConfiguration ring = base.withRingSize(64);
        assertNotSame(base, ring);
        assertEquals(64, ring.ringSize());
        assertEquals(1024, base.ringSize());

        assertEquals("0123456789abcdef", base.withConstitutionalHash("0123456789abcdef").constitutionalHash());
        assertEquals(NativeMode.REQUIRED, base.withNativeMode(NativeMode.REQUIRED).nativeMode());
        assertEquals(IdleStrategy.YIELDING, base.withIdleStrategy(IdleStrategy.YIELDING).idleStrategy());
        assertEquals(BackpressurePolicy.BLOCK, base.withBackpressurePolicy(BackpressurePolicy.BLOCK).backpressurePolicy());
        assertEquals(2048, base.withMaxMessageSizeBytes(2048).maxMessageSizeBytes());
        assertEquals(8, base.withInboxCapacity(8).inboxCapacity());
        assertEquals(128, base.withPayloadCapacityBytes(128).payloadCapacityBytes());
        assertEquals(10, base.withMaxAgents(10).maxAgents());
        assertEquals(Path.of("/tmp/x"), base.withJournalDir(Path.of("/tmp/x")).journalDir());
        assertEquals(Path.of("/tmp/p.yaml"), base.withPolicyFile(Path.of("/tmp/p.yaml")).policyFile());
        assertTrue(base.withEnableMaci(true).enableMaci());
        assertTrue(base.withMaciStrictMode(true).maciStrictMode());
        assertTrue(base.withEnableMetering(true).enableMetering());
        assertFalse(base.withStageLatencyMetrics(false).stageLatencyMetrics());
        assertEquals(0.5, base.withImpactThreshold(0.5).impactThreshold());

        // An invalid copy is refused and the original is untouched.
        assertKey("ring_size", () -> base.withRingSize(100));
        assertKey("payload_capacity_bytes", () -> base.withMaxMessageSizeBytes(10));
        assertEquals(before, base.toMap());

        // Each copy changes exactly one option.
        final Map<String, Object> changed = base.withInboxCapacity(8).toMap();
        int differences = 0;
        for (final String k : before.keySet())
        {
            if (!before.get(k).equals(changed.get(k)))
            {
                differences++;
                assertEquals("inbox_capacity", k);
            }
        }
        assertEquals(1, differences);
        assertEquals(before, base.toBuilder().build().toMap(), "toBuilder round-trips every option");
    }

    @Test
    void toMapNamesEveryOption()
    {
        assertEquals(List.of("constitutional_hash", "native_mode", "ring_size", "idle_strategy", "backpressure_policy",
            "max_message_size_bytes", "inbox_capacity", "handler_timeout_ms", "payload_capacity_bytes", "max_agents", "journal_dir", "policy_file",
            "enable_maci", "maci_strict_mode", "enable_metering", "stage_latency_metrics", "impact_threshold",
            "max_nesting_depth", "max_keys", "max_string_length", "rate_limit", "tenant_rate_limits", "guardrails_file", "content_scanning",
            "governance"),
            List.copyOf(BusConfiguration.defaults().toMap().keySet()));
    }

    @Test
    void governanceIsOffByDefaultAndItsOptionsAreChecked()
    {
        assertEquals(GovernanceSettings.OFF, BusConfiguration.defaults().governance());
        final BusConfiguration on = BusConfiguration.fromEnvironment(Map.of("EAB_GOVERNANCE", "yes", "EAB_KEYWORD_MATCHING", "word",
            "EAB_DELIBERATION_TIMEOUT_MS", "1_500"));
        assertTrue(on.governance().enabled());
        assertEquals(KeywordMatching.WORD, on.governance().keywordMatching());
        assertEquals(1_500, on.governance().timeoutMs());
        final GovernanceSettings g = GovernanceSettings.ON.withTenantThreshold(" Tenant-A ", 0.9).withTenantRule("tenant-b", new DeliberationRule(1, 1.0));
        assertEquals(0.9, g.thresholdFor("tenant-a", 0.8));
        assertEquals(0.8, g.thresholdFor("tenant-b", 0.8));
        assertEquals(new DeliberationRule(1, 1.0), g.ruleFor("tenant-b"));
        assertEquals(DeliberationRule.DEFAULT, g.ruleFor("tenant-a"));
        assertKey("tenant_impact_thresholds", () -> BusConfiguration.builder().governance(GovernanceSettings.ON.withTenantThreshold("a-b", 0.0)).build());
        assertKey("tenant_impact_thresholds", () -> BusConfiguration.builder().governance(GovernanceSettings.ON.withTenantThreshold("bad tenant", 0.5)).build());
        assertKey("deliberation_timeout_ms", () -> BusConfiguration.builder().governance(GovernanceSettings.ON.withTimeoutMs(0)).build());
        assertKey("required_votes", () -> BusConfiguration.builder().governance(GovernanceSettings.ON.withDefaultRule(new DeliberationRule(0, 0.5))).build());
        assertKey("consensus_threshold", () -> BusConfiguration.builder().governance(GovernanceSettings.ON.withDefaultRule(new DeliberationRule(3, 1.5))).build());
        assertKey("governance", () -> BusConfiguration.builder().governance(null).build());
        assertKey("EAB_KEYWORD_MATCHING", () -> BusConfiguration.fromEnvironment(Map.of("EAB_KEYWORD_MATCHING", "fuzzy")));
        assertEquals(GovernanceSettings.ON, BusConfiguration.defaults().withGovernance(GovernanceSettings.ON).toBuilder().build().governance());
    }

    @Test
    void tenantRateLimitsAreKeyedByTheNormalisedTenant()
    {
        final RateLimit limit = new RateLimit(10, 20);
        final BusConfiguration c = BusConfiguration.builder().tenantRateLimit(" Tenant-A ", limit).build();
        assertEquals(Map.of("tenant-a", limit), c.tenantRateLimits());
        assertEquals(limit, c.rateLimitFor(TenantIds.normalize("TENANT-A")));
        for (final String bad : new String[] {"", "  ", "none", "x", "bad tenant"})
        {
            assertKey("tenant_rate_limits", () -> BusConfiguration.builder().tenantRateLimit(bad, limit).build());
        }
    }

    private static void assertKey(final String key, final Supplier<BusConfiguration> build)
    {
        final ConfigurationException e = assertThrows(ConfigurationException.class, build::get, key);
        assertEquals(key, e.configKey(), e.getMessage());
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
