package dev.eab.api;

import dev.eab.api.exception.ConfigurationException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Immutable bus configuration. Build with {@link #builder()}, copy with the {@code with*} methods;
 * every instance is validated when built ({@link ConfigurationException} names the key and reason).
 *
 * <p>Options carried over from the original (reference §2.6) keep their environment variable names
 * and boolean spellings; Kafka, Redis and LLM options do not apply to an in-process bus and are not
 * offered. The original's fail-open switch ({@code policy_fail_closed}) does not exist: the bus always
 * fails closed.
 */
public final class BusConfiguration
{
    /** Default ring size in slots (a power of two). */
    public static final int DEFAULT_RING_SIZE = 16_384;
    /** Default largest accepted message, in bytes of its encoded size estimate. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE_BYTES = 1_048_576;
    /** Default per-agent inbox capacity, in messages. */
    public static final int DEFAULT_INBOX_CAPACITY = 4_096;
    /**
     * Default longest one DISPATCHED handler call may run before its message fails and a fresh thread
     * takes over the agent's inbox (a wedged handler must not leave the agent deaf); 0 turns it off.
     */
    public static final int DEFAULT_HANDLER_TIMEOUT_MS = 60_000;
    /** Where {@link #forProduction()} journals: {@code ./data/journal}. */
    public static final Path DEFAULT_PRODUCTION_JOURNAL_DIR = Path.of("data", "journal");
    /** Default payload bytes a ring slot holds on the zero-allocation path. */
    public static final int DEFAULT_PAYLOAD_CAPACITY_BYTES = 256;
    /** Default maximum number of agents the registry holds. */
    public static final int DEFAULT_MAX_AGENTS = 65_536;
    /** Default deepest nesting of maps and lists in a message's content (the original's limit). */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 50;
    /** Default most keys over all maps of a message's content. */
    public static final int DEFAULT_MAX_KEYS = 10_000;
    /** Default longest string in a message's content, in characters (the original's input limit). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 100_000;
    /** The impact score at or above which a message is held for deliberation. */
    public static final double DEFAULT_IMPACT_THRESHOLD = 0.8;

    private final String constitutionalHash;
    private final NativeMode nativeMode;
    private final int ringSize;
    private final IdleStrategy idleStrategy;
    private final BackpressurePolicy backpressurePolicy;
    private final int maxMessageSizeBytes;
    private final int inboxCapacity;
    private final int handlerTimeoutMs;
    private final int payloadCapacityBytes;
    private final int maxAgents;
    private final Path journalDir;
    private final JournalOptions journalOptions;
    private final Path policyFile;
    private final boolean enableMaci;
    private final boolean maciStrictMode;
    private final boolean enableMetering;
    private final boolean stageLatencyMetrics;
    private final double impactThreshold;
    private final int maxNestingDepth;
    private final int maxKeys;
    private final int maxStringLength;
    private final RateLimit rateLimit;
    private final Map<String, RateLimit> tenantRateLimits;
    private final Path guardrailsFile;
    private final boolean contentScanning;

    private BusConfiguration(final Builder b)
    {
        constitutionalHash = b.constitutionalHash;
        nativeMode = b.nativeMode;
        ringSize = b.ringSize;
        idleStrategy = b.idleStrategy;
        backpressurePolicy = b.backpressurePolicy;
        maxMessageSizeBytes = b.maxMessageSizeBytes;
        inboxCapacity = b.inboxCapacity;
        handlerTimeoutMs = b.handlerTimeoutMs;
        payloadCapacityBytes = b.payloadCapacityBytes;
        maxAgents = b.maxAgents;
        journalDir = b.journalDir;
        journalOptions = b.journalOptions;
        policyFile = b.policyFile;
        enableMaci = b.enableMaci;
        maciStrictMode = b.maciStrictMode;
        enableMetering = b.enableMetering;
        stageLatencyMetrics = b.stageLatencyMetrics;
        impactThreshold = b.impactThreshold;
        maxNestingDepth = b.maxNestingDepth;
        maxKeys = b.maxKeys;
        maxStringLength = b.maxStringLength;
        rateLimit = b.rateLimit;
        tenantRateLimits = Map.copyOf(b.tenantRateLimits);
        guardrailsFile = b.guardrailsFile;
        contentScanning = b.contentScanning;
        validate();
    }

    /** @return a builder with production-sensible defaults (native AUTO, PHASED idle, REJECT backpressure). */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return the defaults. */
    public static BusConfiguration defaults()
    {
        return builder().build();
    }

    /**
     * As the original's {@code for_testing()}: MACI, strict mode, metering and Rust off; a small ring; and a
     * journal in a fresh temporary directory (deleted when the JVM exits), so tests exercise the write-ahead path
     * (without the pretoucher: tests do not measure latency, and 16 MiB of touched pages per bus slowed the suite).
     */
    public static BusConfiguration forTesting()
    {
        return builder().nativeMode(NativeMode.OFF).enableMaci(false).maciStrictMode(false).enableMetering(false)
            .ringSize(1024).journalDir(TestJournalDirectory.create()).journalOptions(JournalOptions.DEFAULTS.withPretouch(false)).build();
    }

    /** As the original's {@code for_production()}: everything on; the native library is required. */
    public static BusConfiguration forProduction()
    {
        return builder().nativeMode(NativeMode.REQUIRED).enableMaci(true).maciStrictMode(true).enableMetering(true)
            .journalDir(DEFAULT_PRODUCTION_JOURNAL_DIR).build();
    }

    /** Reads the process environment; see {@link #fromEnvironment(Map)}. */
    public static BusConfiguration fromEnvironment()
    {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads variables: the original's {@code USE_RUST}, {@code ENABLE_MACI}, {@code MACI_STRICT_MODE},
     * {@code ENABLE_METERING}, {@code CONSTITUTIONAL_HASH}, and ours {@code EAB_NATIVE},
     * {@code EAB_RING_SIZE}, {@code EAB_IDLE_STRATEGY}, {@code EAB_BACKPRESSURE},
     * {@code EAB_MAX_MESSAGE_SIZE}, {@code EAB_INBOX_CAPACITY}, {@code EAB_HANDLER_TIMEOUT_MS}, {@code EAB_PAYLOAD_CAPACITY},
     * {@code EAB_MAX_AGENTS}, {@code EAB_JOURNAL_DIR}, {@code EAB_POLICY_FILE}, {@code EAB_IMPACT_THRESHOLD}; the journal's
     * {@code EAB_JOURNAL_FLUSH}, {@code EAB_JOURNAL_ROLL_CYCLE}, {@code EAB_JOURNAL_RETENTION}, {@code EAB_JOURNAL_PRETOUCH} ({@link JournalOptions}).
     * Booleans are true for true/1/yes/on/y/t and false for false/0/no/off/n/f (any case); anything
     * else is a {@link ConfigurationException}, not a silent false.
     */
    public static BusConfiguration fromEnvironment(final Map<String, String> environment)
    {
        // A null value means unset, as a missing variable does.
        final Map<String, String> env = new java.util.HashMap<>();
        environment.forEach((k, v) -> {
            if (k != null && v != null)
            {
                env.put(k, v);
            }
        });
        final Builder b = builder();
        final String hash = env.get("CONSTITUTIONAL_HASH");
        if (hash != null && !hash.isBlank())
        {
            b.constitutionalHash(hash.trim());
        }
        if (env.containsKey("USE_RUST") && !parseBoolean("USE_RUST", env.get("USE_RUST")))
        {
            b.nativeMode(NativeMode.OFF);
        }
        if (env.containsKey("EAB_NATIVE"))
        {
            b.nativeMode(parseEnum("EAB_NATIVE", env.get("EAB_NATIVE"), NativeMode.class));
        }
        if (env.containsKey("ENABLE_MACI"))
        {
            b.enableMaci(parseBoolean("ENABLE_MACI", env.get("ENABLE_MACI")));
        }
        if (env.containsKey("MACI_STRICT_MODE"))
        {
            b.maciStrictMode(parseBoolean("MACI_STRICT_MODE", env.get("MACI_STRICT_MODE")));
        }
        if (env.containsKey("ENABLE_METERING"))
        {
            b.enableMetering(parseBoolean("ENABLE_METERING", env.get("ENABLE_METERING")));
        }
        if (env.containsKey("EAB_RING_SIZE"))
        {
            b.ringSize(parseInt("EAB_RING_SIZE", env.get("EAB_RING_SIZE")));
        }
        if (env.containsKey("EAB_IDLE_STRATEGY"))
        {
            b.idleStrategy(parseEnum("EAB_IDLE_STRATEGY", env.get("EAB_IDLE_STRATEGY"), IdleStrategy.class));
        }
        if (env.containsKey("EAB_BACKPRESSURE"))
        {
            b.backpressurePolicy(parseEnum("EAB_BACKPRESSURE", env.get("EAB_BACKPRESSURE"), BackpressurePolicy.class));
        }
        if (env.containsKey("EAB_MAX_MESSAGE_SIZE"))
        {
            b.maxMessageSizeBytes(parseInt("EAB_MAX_MESSAGE_SIZE", env.get("EAB_MAX_MESSAGE_SIZE")));
        }
        if (env.containsKey("EAB_INBOX_CAPACITY"))
        {
            b.inboxCapacity(parseInt("EAB_INBOX_CAPACITY", env.get("EAB_INBOX_CAPACITY")));
        }
        if (env.containsKey("EAB_HANDLER_TIMEOUT_MS"))
        {
            b.handlerTimeoutMs(parseInt("EAB_HANDLER_TIMEOUT_MS", env.get("EAB_HANDLER_TIMEOUT_MS")));
        }
        if (env.containsKey("EAB_PAYLOAD_CAPACITY"))
        {
            b.payloadCapacityBytes(parseInt("EAB_PAYLOAD_CAPACITY", env.get("EAB_PAYLOAD_CAPACITY")));
        }
        if (env.containsKey("EAB_MAX_AGENTS"))
        {
            b.maxAgents(parseInt("EAB_MAX_AGENTS", env.get("EAB_MAX_AGENTS")));
        }
        if (env.containsKey("EAB_JOURNAL_DIR"))
        {
            final String dir = env.get("EAB_JOURNAL_DIR").strip();
            b.journalDir(dir.isEmpty() || dir.equalsIgnoreCase("off") ? null : Path.of(dir));
        }
        b.journalOptions(JournalOptions.fromEnvironment(env, b.journalOptions));
        if (env.containsKey("EAB_POLICY_FILE"))
        {
            b.policyFile(Path.of(env.get("EAB_POLICY_FILE")));
        }
        if (env.containsKey("EAB_MAX_NESTING_DEPTH"))
        {
            b.maxNestingDepth(parseInt("EAB_MAX_NESTING_DEPTH", env.get("EAB_MAX_NESTING_DEPTH")));
        }
        if (env.containsKey("EAB_MAX_KEYS"))
        {
            b.maxKeys(parseInt("EAB_MAX_KEYS", env.get("EAB_MAX_KEYS")));
        }
        if (env.containsKey("EAB_MAX_STRING_LENGTH"))
        {
            b.maxStringLength(parseInt("EAB_MAX_STRING_LENGTH", env.get("EAB_MAX_STRING_LENGTH")));
        }
        if (env.containsKey("EAB_RATE_LIMIT"))
        {
            try
            {
                b.rateLimit(RateLimit.parse(env.get("EAB_RATE_LIMIT")));
            }
            catch (final IllegalArgumentException e)
            {
                throw new ConfigurationException("EAB_RATE_LIMIT", "expected <per second>/<burst> or 'unlimited', got '" +
                    env.get("EAB_RATE_LIMIT") + "'");
            }
        }
        if (env.containsKey("EAB_CONTENT_SCANNING"))
        {
            b.contentScanning(parseBoolean("EAB_CONTENT_SCANNING", env.get("EAB_CONTENT_SCANNING")));
        }
        if (env.containsKey("EAB_GUARDRAILS_FILE"))
        {
            b.guardrailsFile(Path.of(env.get("EAB_GUARDRAILS_FILE")));
        }
        if (env.containsKey("EAB_IMPACT_THRESHOLD"))
        {
            try
            {
                b.impactThreshold(Double.parseDouble(env.get("EAB_IMPACT_THRESHOLD").trim()));
            }
            catch (final NumberFormatException e)
            {
                throw new ConfigurationException("EAB_IMPACT_THRESHOLD", "not a number: '" + env.get("EAB_IMPACT_THRESHOLD") + "'");
            }
        }
        return b.build();
    }

    /**
     * Parses a boolean with the original's spellings.
     *
     * @throws ConfigurationException for any other text.
     */
    public static boolean parseBoolean(final String key, final String value)
    {
        final String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v)
        {
            case "true", "1", "yes", "on", "y", "t" -> true;
            case "false", "0", "no", "off", "n", "f" -> false;
            default -> throw new ConfigurationException(key, "not a boolean: '" + value + "' (use true/false, 1/0, yes/no, on/off)");
        };
    }

    private static int parseInt(final String key, final String value)
    {
        try
        {
            return Integer.parseInt(value.trim().replace("_", ""));
        }
        catch (final NumberFormatException e)
        {
            throw new ConfigurationException(key, "not an integer: '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E parseEnum(final String key, final String value, final Class<E> type)
    {
        try
        {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException e)
        {
            throw new ConfigurationException(key, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private void validate()
    {
        if (journalOptions == null)
        {
            throw new ConfigurationException("journal_options", "must not be null");
        }
        if (!Constitution.isWellFormed(constitutionalHash))
        {
            throw new ConfigurationException("constitutional_hash", "must be exactly 16 hex characters");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new ConfigurationException("ring_size", "must be a power of two >= 2, got " + ringSize);
        }
        if (maxMessageSizeBytes <= 0)
        {
            throw new ConfigurationException("max_message_size_bytes", "must be > 0, got " + maxMessageSizeBytes);
        }
        if (inboxCapacity <= 0)
        {
            throw new ConfigurationException("inbox_capacity", "must be > 0, got " + inboxCapacity);
        }
        if (handlerTimeoutMs < 0)
        {
            throw new ConfigurationException("handler_timeout_ms", "must be >= 0 (0 = no timeout), got " + handlerTimeoutMs);
        }
        if (payloadCapacityBytes <= 0 || payloadCapacityBytes > maxMessageSizeBytes)
        {
            throw new ConfigurationException("payload_capacity_bytes", "must be in 1..max_message_size_bytes, got " + payloadCapacityBytes);
        }
        if (maxAgents <= 0)
        {
            throw new ConfigurationException("max_agents", "must be > 0, got " + maxAgents);
        }
        if (!(impactThreshold > 0.0 && impactThreshold <= 1.0))
        {
            throw new ConfigurationException("impact_threshold", "must be in (0, 1], got " + impactThreshold);
        }
        if (maxNestingDepth < 1 || maxNestingDepth > ContentValues.MAX_DEPTH)
        {
            throw new ConfigurationException("max_nesting_depth", "must be 1.." + ContentValues.MAX_DEPTH + " (the deepest a message can be built), got " +
                maxNestingDepth);
        }
        if (maxKeys < 1)
        {
            throw new ConfigurationException("max_keys", "must be >= 1, got " + maxKeys);
        }
        if (maxStringLength < 1)
        {
            throw new ConfigurationException("max_string_length", "must be >= 1, got " + maxStringLength);
        }
        if (rateLimit == null)
        {
            throw new ConfigurationException("rate_limit", "must not be null (use RateLimit.UNLIMITED)");
        }
        for (final Map.Entry<String, RateLimit> e : tenantRateLimits.entrySet())
        {
            if (e.getValue() == null)
            {
                throw new ConfigurationException("tenant_rate_limits", "tenant '" + e.getKey() + "' has a null limit");
            }
        }
        if (nativeMode == null || idleStrategy == null || backpressurePolicy == null)
        {
            throw new ConfigurationException("configuration", "native_mode, idle_strategy and backpressure_policy must not be null");
        }
    }

    public String constitutionalHash() { return constitutionalHash; }
    public NativeMode nativeMode() { return nativeMode; }
    public int ringSize() { return ringSize; }
    public IdleStrategy idleStrategy() { return idleStrategy; }
    public BackpressurePolicy backpressurePolicy() { return backpressurePolicy; }
    public int maxMessageSizeBytes() { return maxMessageSizeBytes; }
    public int inboxCapacity() { return inboxCapacity; }
    /** @return how long one DISPATCHED handler call may run before it is given up on, in ms; 0 = never. */
    public int handlerTimeoutMs() { return handlerTimeoutMs; }
    public int payloadCapacityBytes() { return payloadCapacityBytes; }
    public int maxAgents() { return maxAgents; }
    /** @return where the write-ahead journal lives, or null when journaling is off (the default; {@link #forProduction()} uses ./data/journal, {@link #forTesting()} a fresh temporary directory). */
    public Path journalDir() { return journalDir; }
    /** @return how the journal flushes, rolls and keeps its files ({@link JournalOptions#DEFAULTS} unless set). */
    public JournalOptions journalOptions() { return journalOptions; }
    /** @return the YAML policy file, or null for the policy embedded in the engine jar. */
    public Path policyFile() { return policyFile; }
    public boolean enableMaci() { return enableMaci; }
    public boolean maciStrictMode() { return maciStrictMode; }
    public boolean enableMetering() { return enableMetering; }
    public boolean stageLatencyMetrics() { return stageLatencyMetrics; }
    public double impactThreshold() { return impactThreshold; }
    /** @return deepest nesting of maps and lists allowed in content (NESTING_TOO_DEEP beyond). */
    public int maxNestingDepth() { return maxNestingDepth; }
    /** @return most keys allowed over all maps of a message's content (TOO_MANY_KEYS beyond). */
    public int maxKeys() { return maxKeys; }
    /** @return longest string allowed in content, in characters (STRING_TOO_LONG beyond). */
    public int maxStringLength() { return maxStringLength; }
    /** @return the per-agent rate limit for tenants without their own. */
    public RateLimit rateLimit() { return rateLimit; }
    /** @return per-tenant overrides of {@link #rateLimit()}, keyed by normalised tenant id. */
    public Map<String, RateLimit> tenantRateLimits() { return tenantRateLimits; }
    /** @return the limit that applies to agents of a (normalised) tenant. */
    public RateLimit rateLimitFor(final String tenant)
    {
        return tenant == null ? rateLimit : tenantRateLimits.getOrDefault(tenant, rateLimit);
    }
    /** @return the guardrail pattern file, or null for the patterns shipped in the engine jar. */
    public Path guardrailsFile() { return guardrailsFile; }
    /** @return whether message content is scanned for guardrail patterns (prompt injection, XSS, ...). */
    public boolean contentScanning() { return contentScanning; }

    public BusConfiguration withConstitutionalHash(final String v) { return toBuilder().constitutionalHash(v).build(); }
    public BusConfiguration withNativeMode(final NativeMode v) { return toBuilder().nativeMode(v).build(); }
    public BusConfiguration withRingSize(final int v) { return toBuilder().ringSize(v).build(); }
    public BusConfiguration withIdleStrategy(final IdleStrategy v) { return toBuilder().idleStrategy(v).build(); }
    public BusConfiguration withBackpressurePolicy(final BackpressurePolicy v) { return toBuilder().backpressurePolicy(v).build(); }
    public BusConfiguration withMaxMessageSizeBytes(final int v) { return toBuilder().maxMessageSizeBytes(v).build(); }
    public BusConfiguration withInboxCapacity(final int v) { return toBuilder().inboxCapacity(v).build(); }
    public BusConfiguration withHandlerTimeoutMs(final int v) { return toBuilder().handlerTimeoutMs(v).build(); }
    public BusConfiguration withPayloadCapacityBytes(final int v) { return toBuilder().payloadCapacityBytes(v).build(); }
    public BusConfiguration withMaxAgents(final int v) { return toBuilder().maxAgents(v).build(); }
    public BusConfiguration withJournalDir(final Path v) { return toBuilder().journalDir(v).build(); }
    public BusConfiguration withJournalOptions(final JournalOptions v) { return toBuilder().journalOptions(v).build(); }
    public BusConfiguration withPolicyFile(final Path v) { return toBuilder().policyFile(v).build(); }
    public BusConfiguration withEnableMaci(final boolean v) { return toBuilder().enableMaci(v).build(); }
    public BusConfiguration withMaciStrictMode(final boolean v) { return toBuilder().maciStrictMode(v).build(); }
    public BusConfiguration withEnableMetering(final boolean v) { return toBuilder().enableMetering(v).build(); }
    public BusConfiguration withStageLatencyMetrics(final boolean v) { return toBuilder().stageLatencyMetrics(v).build(); }
    public BusConfiguration withImpactThreshold(final double v) { return toBuilder().impactThreshold(v).build(); }
    public BusConfiguration withMaxNestingDepth(final int v) { return toBuilder().maxNestingDepth(v).build(); }
    public BusConfiguration withMaxKeys(final int v) { return toBuilder().maxKeys(v).build(); }
    public BusConfiguration withMaxStringLength(final int v) { return toBuilder().maxStringLength(v).build(); }
    public BusConfiguration withRateLimit(final RateLimit v) { return toBuilder().rateLimit(v).build(); }
    public BusConfiguration withTenantRateLimit(final String tenant, final RateLimit v) { return toBuilder().tenantRateLimit(tenant, v).build(); }
    public BusConfiguration withGuardrailsFile(final Path v) { return toBuilder().guardrailsFile(v).build(); }
    public BusConfiguration withContentScanning(final boolean v) { return toBuilder().contentScanning(v).build(); }

    /** @return a builder holding this configuration. */
    public Builder toBuilder()
    {
        return builder().constitutionalHash(constitutionalHash).nativeMode(nativeMode).ringSize(ringSize)
            .idleStrategy(idleStrategy).backpressurePolicy(backpressurePolicy).maxMessageSizeBytes(maxMessageSizeBytes)
            .inboxCapacity(inboxCapacity).handlerTimeoutMs(handlerTimeoutMs).payloadCapacityBytes(payloadCapacityBytes).maxAgents(maxAgents)
            .journalDir(journalDir).journalOptions(journalOptions).policyFile(policyFile).enableMaci(enableMaci).maciStrictMode(maciStrictMode)
            .enableMetering(enableMetering).stageLatencyMetrics(stageLatencyMetrics).impactThreshold(impactThreshold)
            .maxNestingDepth(maxNestingDepth).maxKeys(maxKeys).maxStringLength(maxStringLength).rateLimit(rateLimit)
            .tenantRateLimits(tenantRateLimits).guardrailsFile(guardrailsFile).contentScanning(contentScanning);
    }

    /** @return every option under its snake_case name, for logs and the demo summary. */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("constitutional_hash", constitutionalHash);
        m.put("native_mode", nativeMode.name().toLowerCase(Locale.ROOT));
        m.put("ring_size", ringSize);
        m.put("idle_strategy", idleStrategy.name().toLowerCase(Locale.ROOT));
        m.put("backpressure_policy", backpressurePolicy.name().toLowerCase(Locale.ROOT));
        m.put("max_message_size_bytes", maxMessageSizeBytes);
        m.put("inbox_capacity", inboxCapacity);
        m.put("handler_timeout_ms", handlerTimeoutMs);
        m.put("payload_capacity_bytes", payloadCapacityBytes);
        m.put("max_agents", maxAgents);
        m.put("journal_dir", journalDir == null ? "off" : journalDir.toString());
        m.put("journal", journalOptions.toMap());
        m.put("policy_file", policyFile == null ? "(embedded default)" : policyFile.toString());
        m.put("enable_maci", enableMaci);
        m.put("maci_strict_mode", maciStrictMode);
        m.put("enable_metering", enableMetering);
        m.put("stage_latency_metrics", stageLatencyMetrics);
        m.put("impact_threshold", impactThreshold);
        m.put("max_nesting_depth", maxNestingDepth);
        m.put("max_keys", maxKeys);
        m.put("max_string_length", maxStringLength);
        m.put("rate_limit", rateLimit.unlimited() ? "unlimited" : rateLimit.messagesPerSecond() + "/" + rateLimit.burst());
        m.put("tenant_rate_limits", tenantRateLimits.size());
        m.put("guardrails_file", guardrailsFile == null ? "(embedded default)" : guardrailsFile.toString());
        m.put("content_scanning", contentScanning);
        return m;
    }

    @Override
    public String toString()
    {
        return "BusConfiguration" + toMap();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder
    {
        private String constitutionalHash = Constitution.HASH;
        private NativeMode nativeMode = NativeMode.parse(System.getProperty("eab.native", "auto"));
        private int ringSize = DEFAULT_RING_SIZE;
        private IdleStrategy idleStrategy = IdleStrategy.PHASED;
        private BackpressurePolicy backpressurePolicy = BackpressurePolicy.REJECT;
        private int maxMessageSizeBytes = DEFAULT_MAX_MESSAGE_SIZE_BYTES;
        private int inboxCapacity = DEFAULT_INBOX_CAPACITY;
        private int handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS;
        private int payloadCapacityBytes = DEFAULT_PAYLOAD_CAPACITY_BYTES;
        private int maxAgents = DEFAULT_MAX_AGENTS;
        private Path journalDir;
        private JournalOptions journalOptions = JournalOptions.DEFAULTS;
        private Path policyFile;
        private boolean enableMaci = true;
        private boolean maciStrictMode = true;
        private boolean enableMetering = true;
        private boolean stageLatencyMetrics = true;
        private double impactThreshold = DEFAULT_IMPACT_THRESHOLD;
        private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;
        private int maxKeys = DEFAULT_MAX_KEYS;
        private int maxStringLength = DEFAULT_MAX_STRING_LENGTH;
        private RateLimit rateLimit = RateLimit.DEFAULT;
        private final Map<String, RateLimit> tenantRateLimits = new LinkedHashMap<>();
        private Path guardrailsFile;
        private boolean contentScanning = true;

        private Builder()
        {
        }

        /** An empty or null hash resets to the default, as in the original. */
        public Builder constitutionalHash(final String v) { constitutionalHash = v == null || v.isEmpty() ? Constitution.HASH : v; return this; }
        public Builder nativeMode(final NativeMode v) { nativeMode = v; return this; }
        public Builder ringSize(final int v) { ringSize = v; return this; }
        public Builder idleStrategy(final IdleStrategy v) { idleStrategy = v; return this; }
        public Builder backpressurePolicy(final BackpressurePolicy v) { backpressurePolicy = v; return this; }
        public Builder maxMessageSizeBytes(final int v) { maxMessageSizeBytes = v; return this; }
        public Builder inboxCapacity(final int v) { inboxCapacity = v; return this; }
        public Builder handlerTimeoutMs(final int v) { handlerTimeoutMs = v; return this; }
        public Builder payloadCapacityBytes(final int v) { payloadCapacityBytes = v; return this; }
        public Builder maxAgents(final int v) { maxAgents = v; return this; }
        public Builder journalDir(final Path v) { journalDir = v; return this; }
        public Builder journalOptions(final JournalOptions v) { journalOptions = v; return this; }
        public Builder policyFile(final Path v) { policyFile = v; return this; }
        public Builder enableMaci(final boolean v) { enableMaci = v; return this; }
        public Builder maciStrictMode(final boolean v) { maciStrictMode = v; return this; }
        public Builder enableMetering(final boolean v) { enableMetering = v; return this; }
        public Builder stageLatencyMetrics(final boolean v) { stageLatencyMetrics = v; return this; }
        public Builder impactThreshold(final double v) { impactThreshold = v; return this; }
        public Builder maxNestingDepth(final int v) { maxNestingDepth = v; return this; }
        public Builder maxKeys(final int v) { maxKeys = v; return this; }
        public Builder maxStringLength(final int v) { maxStringLength = v; return this; }
        public Builder rateLimit(final RateLimit v) { rateLimit = v; return this; }
        /**
         * Sets one tenant's per-agent limit; the tenant id is normalised as the bus does it ({@link TenantIds}).
         *
         * @throws ConfigurationException ({@code tenant_rate_limits}) for no tenant or a malformed one: the limit
         *     would never apply.
         */
        public Builder tenantRateLimit(final String tenant, final RateLimit v)
        {
            final String normalized = TenantIds.normalize(tenant);
            if (normalized == null || !TenantIds.isValid(normalized))
            {
                throw new ConfigurationException("tenant_rate_limits", "'" + tenant + "' is not a tenant id (" + TenantIds.FORMAT + ")");
            }
            tenantRateLimits.put(normalized, v);
            return this;
        }
        /** Replaces every per-tenant limit. */
        public Builder tenantRateLimits(final Map<String, RateLimit> v)
        {
            tenantRateLimits.clear();
            v.forEach(this::tenantRateLimit);
            return this;
        }
        public Builder guardrailsFile(final Path v) { guardrailsFile = v; return this; }
        public Builder contentScanning(final boolean v) { contentScanning = v; return this; }

        /** @throws ConfigurationException naming the first invalid option. */
        public BusConfiguration build()
        {
            return new BusConfiguration(this);
        }
    }
}
