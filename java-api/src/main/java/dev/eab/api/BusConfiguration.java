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
    /** The Rego rule a bundle is queried with unless configured otherwise. */
    public static final String DEFAULT_REGO_QUERY = "data.eab.allow";
    /** Default Rego decision-cache entries (a power of two; 0 turns the cache off). */
    public static final int DEFAULT_REGO_CACHE_ENTRIES = 65_536;
    /** Outputs whose producer MACI remembers (message ids and recorded outputs); beyond it older outputs are forgotten. */
    public static final int DEFAULT_MACI_OUTPUT_CAPACITY = 262_144;
    /** Entries the MACI validation log keeps; the oldest is dropped first. */
    public static final int DEFAULT_MACI_LOG_CAPACITY = 1_024;
    /** Audit records that may wait for the audit writer before {@link AuditBackpressure} applies. */
    public static final int DEFAULT_AUDIT_QUEUE_CAPACITY = 65_536;
    /** Extra records {@link AuditBackpressure#OVERFLOW} keeps in memory while the writer is behind. */
    public static final int DEFAULT_AUDIT_OVERFLOW_CAPACITY = 1_048_576;

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
    private final GovernanceSettings governance;
    private final Path regoDir;
    private final String regoQuery;
    private final RegoFallback regoFallback;
    private final int regoCacheEntries;
    private final boolean regoWatch;
    private final MaciRole maciDefaultRole;
    private final Map<String, MaciRole> maciAgentRoles;
    private final int maciOutputCapacity;
    private final int maciLogCapacity;
    private final Map<MessageType, MaciAction> maciTypeActions;
    private final Path auditDir;
    private final AuditBackpressure auditBackpressure;
    private final int auditQueueCapacity;
    private final int auditOverflowCapacity;
    private final boolean requireIdentity;
    private final Path identityJwksFile;
    private final String identityIssuer;
    private final String identityAudience;
    private final Path revocationFile;

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
        governance = b.governance;
        regoDir = b.regoDir;
        regoQuery = b.regoQuery;
        regoFallback = b.regoFallback;
        regoCacheEntries = b.regoCacheEntries;
        regoWatch = b.regoWatch;
        maciDefaultRole = b.maciDefaultRole;
        maciAgentRoles = Map.copyOf(b.maciAgentRoles);
        maciOutputCapacity = b.maciOutputCapacity;
        maciLogCapacity = b.maciLogCapacity;
        maciTypeActions = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(b.maciTypeActions));
        auditDir = b.auditDir;
        auditBackpressure = b.auditBackpressure;
        auditQueueCapacity = b.auditQueueCapacity;
        auditOverflowCapacity = b.auditOverflowCapacity;
        requireIdentity = b.requireIdentity;
        identityJwksFile = b.identityJwksFile;
        identityIssuer = b.identityIssuer;
        identityAudience = b.identityAudience;
        revocationFile = b.revocationFile;
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

    /**
     * As the original's {@code for_production()}: everything on; the native library is required, and every
     * registration must carry a verified identity token ({@link #requireIdentity()}).
     */
    public static BusConfiguration forProduction()
    {
        return builder().nativeMode(NativeMode.REQUIRED).enableMaci(true).maciStrictMode(true).enableMetering(true)
            .journalDir(DEFAULT_PRODUCTION_JOURNAL_DIR).requireIdentity(true).build();
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
     * {@code EAB_MAX_AGENTS}, {@code EAB_JOURNAL_DIR}, {@code EAB_POLICY_FILE}, {@code EAB_IMPACT_THRESHOLD},
     * {@code EAB_REGO_DIR}, {@code EAB_REGO_QUERY}, {@code EAB_REGO_FALLBACK}, {@code EAB_REGO_CACHE_ENTRIES}, {@code EAB_REGO_WATCH},
     * {@code EAB_AUDIT_DIR}, {@code EAB_AUDIT_BACKPRESSURE}, {@code EAB_AUDIT_QUEUE},
     * {@code EAB_AUDIT_OVERFLOW}, {@code EAB_REQUIRE_IDENTITY}, {@code EAB_IDENTITY_JWKS}, {@code EAB_IDENTITY_ISSUER},
     * {@code EAB_IDENTITY_AUDIENCE}, {@code EAB_REVOCATION_FILE}; the journal's
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
        if (env.containsKey("MACI_DEFAULT_ROLE"))
        {
            b.maciDefaultRole(parseEnum("MACI_DEFAULT_ROLE", env.get("MACI_DEFAULT_ROLE"), MaciRole.class));
        }
        for (final Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet())
        {
            // MACI_AGENT_<ID>=<role>, as the original's loader; <ID> is lowercased. _CAPABILITIES entries are
            // the original's capability lists (registration carries capabilities here), not roles.
            final String key = e.getKey();
            if (key.startsWith("MACI_AGENT_") && key.length() > "MACI_AGENT_".length() && !key.endsWith("_CAPABILITIES"))
            {
                b.maciAgentRole(key.substring("MACI_AGENT_".length()).toLowerCase(Locale.ROOT), parseEnum(key, e.getValue(), MaciRole.class));
            }
        }
        if (env.containsKey("EAB_MACI_OUTPUT_CAPACITY"))
        {
            b.maciOutputCapacity(parseInt("EAB_MACI_OUTPUT_CAPACITY", env.get("EAB_MACI_OUTPUT_CAPACITY")));
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
        if (env.containsKey("EAB_GOVERNANCE"))
        {
            b.governance(b.governance.withEnabled(parseBoolean("EAB_GOVERNANCE", env.get("EAB_GOVERNANCE"))));
        }
        if (env.containsKey("EAB_KEYWORD_MATCHING"))
        {
            b.governance(b.governance.withKeywordMatching(parseEnum("EAB_KEYWORD_MATCHING", env.get("EAB_KEYWORD_MATCHING"), KeywordMatching.class)));
        }
        if (env.containsKey("EAB_DELIBERATION_TIMEOUT_MS"))
        {
            b.governance(b.governance.withTimeoutMs(parseInt("EAB_DELIBERATION_TIMEOUT_MS", env.get("EAB_DELIBERATION_TIMEOUT_MS"))));
        }
        if (env.containsKey("EAB_REGO_DIR"))
        {
            final String dir = env.get("EAB_REGO_DIR").strip();
            b.regoDir(dir.isEmpty() || dir.equalsIgnoreCase("off") ? null : Path.of(dir));
        }
        if (env.containsKey("EAB_REGO_QUERY"))
        {
            b.regoQuery(env.get("EAB_REGO_QUERY").strip());
        }
        if (env.containsKey("EAB_REGO_FALLBACK"))
        {
            b.regoFallback(parseEnum("EAB_REGO_FALLBACK", env.get("EAB_REGO_FALLBACK"), RegoFallback.class));
        }
        if (env.containsKey("EAB_REGO_CACHE_ENTRIES"))
        {
            b.regoCacheEntries(parseInt("EAB_REGO_CACHE_ENTRIES", env.get("EAB_REGO_CACHE_ENTRIES")));
        }
        if (env.containsKey("EAB_REGO_WATCH"))
        {
            b.regoWatch(parseBoolean("EAB_REGO_WATCH", env.get("EAB_REGO_WATCH")));
        }
        if (env.containsKey("EAB_AUDIT_DIR"))
        {
            final String dir = env.get("EAB_AUDIT_DIR").strip();
            b.auditDir(dir.isEmpty() || dir.equalsIgnoreCase("off") ? null : Path.of(dir));
        }
        if (env.containsKey("EAB_AUDIT_BACKPRESSURE"))
        {
            b.auditBackpressure(parseEnum("EAB_AUDIT_BACKPRESSURE", env.get("EAB_AUDIT_BACKPRESSURE"), AuditBackpressure.class));
        }
        if (env.containsKey("EAB_AUDIT_QUEUE"))
        {
            b.auditQueueCapacity(parseInt("EAB_AUDIT_QUEUE", env.get("EAB_AUDIT_QUEUE")));
        }
        if (env.containsKey("EAB_AUDIT_OVERFLOW"))
        {
            b.auditOverflowCapacity(parseInt("EAB_AUDIT_OVERFLOW", env.get("EAB_AUDIT_OVERFLOW")));
        }
        if (env.containsKey("EAB_REQUIRE_IDENTITY"))
        {
            b.requireIdentity(parseBoolean("EAB_REQUIRE_IDENTITY", env.get("EAB_REQUIRE_IDENTITY")));
        }
        if (env.containsKey("EAB_IDENTITY_JWKS"))
        {
            b.identityJwksFile(Path.of(env.get("EAB_IDENTITY_JWKS").strip()));
        }
        if (env.containsKey("EAB_IDENTITY_ISSUER"))
        {
            b.identityIssuer(env.get("EAB_IDENTITY_ISSUER").strip());
        }
        if (env.containsKey("EAB_IDENTITY_AUDIENCE"))
        {
            b.identityAudience(env.get("EAB_IDENTITY_AUDIENCE").strip());
        }
        if (env.containsKey("EAB_REVOCATION_FILE"))
        {
            b.revocationFile(Path.of(env.get("EAB_REVOCATION_FILE").strip()));
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
        if (governance == null)
        {
            throw new ConfigurationException("governance", "must not be null (use GovernanceSettings.OFF)");
        }
        if (regoQuery == null || !regoQuery.matches("data(\\.[A-Za-z_][A-Za-z0-9_]*)+"))
        {
            throw new ConfigurationException("rego_query", "must be a rule path under data, e.g. " + DEFAULT_REGO_QUERY + ", got '" + regoQuery + "'");
        }
        if (regoCacheEntries < 0 || (regoCacheEntries != 0 && Integer.bitCount(regoCacheEntries) != 1) || regoCacheEntries > 1 << 24)
        {
            throw new ConfigurationException("rego_cache_entries", "must be 0 (off) or a power of two up to 16777216, got " + regoCacheEntries);
        }
        if (regoFallback == null)
        {
            throw new ConfigurationException("rego_fallback", "must not be null (fail, deny-all or allow-all)");
        }
        if (maciOutputCapacity < 1 || maciOutputCapacity > 1 << 26)
        {
            throw new ConfigurationException("maci_output_capacity", "must be 1..67108864, got " + maciOutputCapacity);
        }
        if (maciLogCapacity < 1 || maciLogCapacity > 1 << 20)
        {
            throw new ConfigurationException("maci_log_capacity", "must be 1..1048576, got " + maciLogCapacity);
        }
        for (final Map.Entry<String, MaciRole> e : maciAgentRoles.entrySet())
        {
            if (e.getKey().isBlank() || e.getValue() == null)
            {
                throw new ConfigurationException("maci_agent_roles", "agent '" + e.getKey() + "' needs a non-blank id and a role");
            }
        }
        if (auditQueueCapacity < 1 || auditOverflowCapacity < 0)
        {
            throw new ConfigurationException("audit_queue_capacity", "must be >= 1 (overflow >= 0), got " + auditQueueCapacity + "/" + auditOverflowCapacity);
        }
        if (auditBackpressure == null)
        {
            throw new ConfigurationException("audit_backpressure", "must not be null");
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
    /** @return impact scoring and deliberation options ({@link GovernanceSettings#OFF} by default). */
    public GovernanceSettings governance() { return governance; }
    /** @return the Rego policy bundle directory ({@code .rego} files + optional {@code data.json}), or null when Rego is off. */
    public Path regoDir() { return regoDir; }
    /** @return the rule each message's decision input is evaluated against; true allows. */
    public String regoQuery() { return regoQuery; }
    /** @return what happens when Rego is configured but the native library is missing. */
    public RegoFallback regoFallback() { return regoFallback; }
    /** @return the Rego decision-cache capacity in entries (0 = no cache). */
    public int regoCacheEntries() { return regoCacheEntries; }
    /** @return whether the bundle directory is watched and reloaded on change. */
    public boolean regoWatch() { return regoWatch; }
    /** @return the MACI role of agents registered without one and not in {@link #maciAgentRoles()}, or null. */
    public MaciRole maciDefaultRole() { return maciDefaultRole; }
    /** @return MACI roles by agent id (the original's {@code MACI_AGENT_<ID>}), applied at registration. */
    public Map<String, MaciRole> maciAgentRoles() { return maciAgentRoles; }
    /** @return how many outputs MACI remembers the producer of. */
    public int maciOutputCapacity() { return maciOutputCapacity; }
    /** @return how many entries the MACI validation log keeps. */
    public int maciLogCapacity() { return maciLogCapacity; }
    /**
     * @return message type to MACI action mappings added to (or replacing) the original's five
     * (governance_request propose, constitutional_validation validate, task_request synthesize, query query,
     * audit_log audit); a type mapped nowhere is rejected in strict mode.
     */
    public Map<MessageType, MaciAction> maciTypeActions() { return maciTypeActions; }
    /** @return where the BLAKE3-chained audit log lives, or null when auditing is off (the default). */
    public Path auditDir() { return auditDir; }
    /** @return what happens when the audit writer falls behind. */
    public AuditBackpressure auditBackpressure() { return auditBackpressure; }
    public int auditQueueCapacity() { return auditQueueCapacity; }
    public int auditOverflowCapacity() { return auditOverflowCapacity; }
    /** @return true when every registration must carry a verified identity token ({@link #forProduction()}). */
    public boolean requireIdentity() { return requireIdentity; }
    /** @return the JWKS file holding the keys identity tokens are checked against, or null. */
    public Path identityJwksFile() { return identityJwksFile; }
    /** @return the issuer identity tokens must name, or null (then tokens are refused: no issuer is trusted). */
    public String identityIssuer() { return identityIssuer; }
    /** @return the audience identity tokens must name, or null (then tokens are refused). */
    public String identityAudience() { return identityAudience; }
    /** @return the revocation list file (one agent id a line, # comments), or null. */
    public Path revocationFile() { return revocationFile; }

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
    public BusConfiguration withGovernance(final GovernanceSettings v) { return toBuilder().governance(v).build(); }
    public BusConfiguration withRegoDir(final Path v) { return toBuilder().regoDir(v).build(); }
    public BusConfiguration withRegoQuery(final String v) { return toBuilder().regoQuery(v).build(); }
    public BusConfiguration withRegoFallback(final RegoFallback v) { return toBuilder().regoFallback(v).build(); }
    public BusConfiguration withRegoCacheEntries(final int v) { return toBuilder().regoCacheEntries(v).build(); }
    public BusConfiguration withRegoWatch(final boolean v) { return toBuilder().regoWatch(v).build(); }

    /** @return a builder holding this configuration. */
    public Builder toBuilder()
    {
        return builder().constitutionalHash(constitutionalHash).nativeMode(nativeMode).ringSize(ringSize)
            .idleStrategy(idleStrategy).backpressurePolicy(backpressurePolicy).maxMessageSizeBytes(maxMessageSizeBytes)
            .inboxCapacity(inboxCapacity).handlerTimeoutMs(handlerTimeoutMs).payloadCapacityBytes(payloadCapacityBytes).maxAgents(maxAgents)
            .journalDir(journalDir).journalOptions(journalOptions).policyFile(policyFile).enableMaci(enableMaci).maciStrictMode(maciStrictMode)
            .enableMetering(enableMetering).stageLatencyMetrics(stageLatencyMetrics).impactThreshold(impactThreshold)
            .maxNestingDepth(maxNestingDepth).maxKeys(maxKeys).maxStringLength(maxStringLength).rateLimit(rateLimit)
            .tenantRateLimits(tenantRateLimits).guardrailsFile(guardrailsFile).contentScanning(contentScanning)
            .governance(governance)
            .regoDir(regoDir).regoQuery(regoQuery).regoFallback(regoFallback).regoCacheEntries(regoCacheEntries).regoWatch(regoWatch)
            .maciDefaultRole(maciDefaultRole).maciAgentRoles(maciAgentRoles).maciOutputCapacity(maciOutputCapacity).maciLogCapacity(maciLogCapacity)
            .maciTypeActions(maciTypeActions)

            .auditDir(auditDir).auditBackpressure(auditBackpressure).auditQueueCapacity(auditQueueCapacity)
            .auditOverflowCapacity(auditOverflowCapacity).requireIdentity(requireIdentity).identityJwksFile(identityJwksFile)
            .identityIssuer(identityIssuer).identityAudience(identityAudience).revocationFile(revocationFile);
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
        m.put("governance", governance.toMap());
        m.put("rego_dir", regoDir == null ? "off" : regoDir.toString());
        m.put("rego_query", regoQuery);
        m.put("rego_fallback", regoFallback.value());
        m.put("rego_cache_entries", regoCacheEntries);
        m.put("rego_watch", regoWatch);
        m.put("maci_default_role", maciDefaultRole == null ? "none" : maciDefaultRole.value());
        m.put("maci_agent_roles", maciAgentRoles.size());
        m.put("maci_output_capacity", maciOutputCapacity);
        m.put("maci_log_capacity", maciLogCapacity);
        m.put("maci_type_actions", maciTypeActions.size());
        m.put("audit_dir", auditDir == null ? "off" : auditDir.toString());
        m.put("audit_backpressure", auditBackpressure.name().toLowerCase(Locale.ROOT));
        m.put("audit_queue_capacity", auditQueueCapacity);
        m.put("audit_overflow_capacity", auditOverflowCapacity);
        m.put("require_identity", requireIdentity);
        m.put("identity_jwks_file", identityJwksFile == null ? "none" : identityJwksFile.toString());
        m.put("identity_issuer", identityIssuer == null ? "none" : identityIssuer);
        m.put("identity_audience", identityAudience == null ? "none" : identityAudience);
        m.put("revocation_file", revocationFile == null ? "none" : revocationFile.toString());
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
        // Off unless asked (forProduction, ENABLE_MACI): enforcing needs every agent's role and a mapped type for
        // every message (strict mode), which is deployment data; a bus of role-less agents would refuse everything.
        private boolean enableMaci = false;
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
        private GovernanceSettings governance = GovernanceSettings.OFF;
        private Path regoDir;
        private String regoQuery = DEFAULT_REGO_QUERY;
        private RegoFallback regoFallback = RegoFallback.FAIL;
        private int regoCacheEntries = DEFAULT_REGO_CACHE_ENTRIES;
        private boolean regoWatch = true;
        private MaciRole maciDefaultRole;
        private final Map<String, MaciRole> maciAgentRoles = new LinkedHashMap<>();
        private int maciOutputCapacity = DEFAULT_MACI_OUTPUT_CAPACITY;
        private int maciLogCapacity = DEFAULT_MACI_LOG_CAPACITY;
        private final Map<MessageType, MaciAction> maciTypeActions = new java.util.EnumMap<>(MessageType.class);
        private Path auditDir;
        private AuditBackpressure auditBackpressure = AuditBackpressure.BLOCK;
        private int auditQueueCapacity = DEFAULT_AUDIT_QUEUE_CAPACITY;
        private int auditOverflowCapacity = DEFAULT_AUDIT_OVERFLOW_CAPACITY;
        private boolean requireIdentity;
        private Path identityJwksFile;
        private String identityIssuer;
        private String identityAudience;
        private Path revocationFile;

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
        public Builder governance(final GovernanceSettings v) { governance = v; return this; }
        public Builder regoDir(final Path v) { regoDir = v; return this; }
        public Builder regoQuery(final String v) { regoQuery = v; return this; }
        public Builder regoFallback(final RegoFallback v) { regoFallback = v; return this; }
        public Builder regoCacheEntries(final int v) { regoCacheEntries = v; return this; }
        public Builder regoWatch(final boolean v) { regoWatch = v; return this; }
        public Builder maciDefaultRole(final MaciRole v) { maciDefaultRole = v; return this; }
        /** Assigns {@code role} to {@code agentId} (applied when it registers; null removes the assignment). */
        public Builder maciAgentRole(final String agentId, final MaciRole role)
        {
            if (role == null)
            {
                maciAgentRoles.remove(agentId);
            }
            else
            {
                maciAgentRoles.put(agentId, role);
            }
            return this;
        }
        /** Replaces every agent role assignment. */
        public Builder maciAgentRoles(final Map<String, MaciRole> v)
        {
            maciAgentRoles.clear();
            maciAgentRoles.putAll(v);
            return this;
        }
        public Builder maciOutputCapacity(final int v) { maciOutputCapacity = v; return this; }
        public Builder maciLogCapacity(final int v) { maciLogCapacity = v; return this; }
        /** Maps {@code type} to {@code action} for MACI (added to the original's mapping). */
        public Builder maciTypeAction(final MessageType type, final MaciAction action) { maciTypeActions.put(type, action); return this; }
        /** Replaces every added type mapping. */
        public Builder maciTypeActions(final Map<MessageType, MaciAction> v)
        {
            maciTypeActions.clear();
            maciTypeActions.putAll(v);
            return this;
        }
        public Builder auditDir(final Path v) { auditDir = v; return this; }
        public Builder auditBackpressure(final AuditBackpressure v) { auditBackpressure = v; return this; }
        public Builder auditQueueCapacity(final int v) { auditQueueCapacity = v; return this; }
        public Builder auditOverflowCapacity(final int v) { auditOverflowCapacity = v; return this; }
        public Builder requireIdentity(final boolean v) { requireIdentity = v; return this; }
        public Builder identityJwksFile(final Path v) { identityJwksFile = v; return this; }
        public Builder identityIssuer(final String v) { identityIssuer = v; return this; }
        public Builder identityAudience(final String v) { identityAudience = v; return this; }
        public Builder revocationFile(final Path v) { revocationFile = v; return this; }

        /** @throws ConfigurationException naming the first invalid option. */
        public BusConfiguration build()
        {
            return new BusConfiguration(this);
        }
    }
}
