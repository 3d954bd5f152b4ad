package dev.eab.core.validate;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RegoFallback;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.api.exception.PolicyEvaluationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.registry.AgentRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The Rego step of the validation chain (after the compiled policy table and the guardrails, before routing):
 * decides each message's decision input — sender, sender role, tenant, message type, recipient, content digest,
 * policy version — against the bundle's rule, through the {@link DecisionCache} first and {@code regorus} (native)
 * on a miss. A deny is {@link RejectReason#REGO_DENIED}; an evaluation error rejects with
 * {@link RejectReason#VALIDATOR_ERROR} (fail closed, never cached). Every decision is counted in {@link BusMetrics}.
 *
 * <p>What Java decides without native code: cache hits, and the fallbacks when the library is missing
 * ({@link RegoFallback}: refuse to start — the default —, deny all, or allow all). Native mode {@code OFF} counts as
 * missing: Rego needs the library.
 *
 * <p>Hot reload: {@link #reload()} (the API call, or {@link RegoWatcher} on a file change) compiles the bundle on the
 * caller's thread, never the bus thread, and offers it through an {@link AtomicReference}; the bus thread takes it
 * at the next message boundary ({@link #decide} looks before each decision), so a message is decided wholly by one
 * bundle, and the version changes atomically between two messages. A bundle that fails to compile is refused (counted,
 * logged, thrown to the caller) and the running one stays.
 *
 * <p>Ownership: {@link #decide}, {@link #warm} and the cache, input buffer and current bundle belong to the bus
 * thread; {@link #reload()} may be called from any other thread (reloads are serialised); {@link #close()} after the
 * bus thread has stopped.
 */
public final class RegoPolicyStrategy implements AutoCloseable
{
    /** Evaluating with a native engine. */
    public static final int MODE_NATIVE = 0;
    /** Library missing, fallback deny-all: every message is denied. */
    public static final int MODE_DENY_ALL = 1;
    /** Library missing, fallback allow-all: the Rego step is skipped. */
    public static final int MODE_ALLOW_ALL = 2;
    /** {@code rejectDetail} of a deny by the deny-all fallback (0: the policy said no). */
    public static final long DETAIL_FALLBACK = 1;
    /** Version reported for decisions made by the deny-all fallback. */
    public static final String FALLBACK_VERSION = "deny-all";
    private static final Logger LOG = Logger.getLogger(RegoPolicyStrategy.class.getName());
    private static final byte[][] TYPE_UTF8 = Arrays.stream(MessageType.values()).map(t -> t.value().getBytes(StandardCharsets.UTF_8))
        .toArray(byte[][]::new);
    private static final byte[][] ROLE_UTF8 = Arrays.stream(MaciRole.values()).map(r -> r.value().getBytes(StandardCharsets.UTF_8))
        .toArray(byte[][]::new);
    private static final byte[] EMPTY = new byte[0];
    private static final int INITIAL_INPUT_BYTES = 1024;

    private final Path dir;
    private final String query;
    private final String constitutionalHash;
    private final BusMetrics metrics;
    private final int mode;
    private final String unavailableReason;
    private final AtomicReference<RegoBundle> pending = new AtomicReference<>();
    private final AtomicLong generations = new AtomicLong();
    private final Object reloadLock = new Object();
    private volatile String latestVersion;
    private volatile String activeVersion;
    private volatile boolean closed;
    private volatile java.util.function.BiConsumer<String, String> reloadListener;
    private RegoWatcher watcher;

    // ---- bus thread only
    private RegoBundle current;
    private final DecisionCache cache;
    private final ContentDigest scratchDigest = new ContentDigest();
    private final byte[] digestHex = new byte[ContentDigest.HEX_LENGTH];
    private final RegoInput input = new RegoInput(INITIAL_INPUT_BYTES);
    /** Per handle: the record whose UTF-8 id and tenant are cached (a re-registration is a new record). */
    private AgentRecord[] owners = new AgentRecord[64];
    private byte[][] ids = new byte[64][];
    private byte[][] tenants = new byte[64][];
    private int lastError;

    private RegoPolicyStrategy(
        final Path dir, final String query, final String constitutionalHash, final int cacheEntries, final BusMetrics metrics, final int mode,
        final String unavailableReason)
    {
        this.dir = dir;
        this.query = query;
        this.constitutionalHash = constitutionalHash;
        this.metrics = metrics;
        this.mode = mode;
        this.unavailableReason = unavailableReason;
        this.cache = new DecisionCache(cacheEntries);
    }

    /**
     * Builds the Rego step for {@code config}, or returns null when Rego is off ({@code regoDir} unset) or the library
     * is missing and the fallback is allow-all.
     *
     * @throws ConfigurationException ({@code rego_dir}) when the bundle does not load (naming file and line), or
     *     Rego is configured, the library is missing and the fallback is {@link RegoFallback#FAIL}.
     */
    public static RegoPolicyStrategy create(final BusConfiguration config, final BusMetrics metrics)
    {
        final Path dir = config.regoDir();
        if (dir == null)
        {
            return null;
        }
        final String missing = config.nativeMode() == NativeMode.OFF ? "native mode is off (EAB_NATIVE / -Deab.native)"
            : NativeRegoEngine.available() ? null : "the native library (libeab_native with eab_rego_*) cannot be loaded";
        if (missing != null)
        {
            switch (config.regoFallback())
            {
                case FAIL -> throw new ConfigurationException("rego_dir", "Rego policies are configured (" + dir + ") but cannot be evaluated: " +
                    missing + ". Refusing to start (fail closed); set EAB_REGO_FALLBACK=deny-all or allow-all to start anyway");
                case DENY_ALL ->
                {
                    LOG.warning("Rego policies are configured (" + dir + ") but cannot be evaluated: " + missing +
                        "; rego_fallback=deny-all: every message will be rejected (rego_denied)");
                    return new RegoPolicyStrategy(dir, config.regoQuery(), config.constitutionalHash(), 0, metrics, MODE_DENY_ALL, missing);
                }
                case ALLOW_ALL ->
                {
                    LOG.severe("Rego policies are configured (" + dir + ") but cannot be evaluated: " + missing +
                        "; rego_fallback=allow-all: the Rego step is SKIPPED, only the compiled policy table applies");
                    return null;
                }
                default -> throw new IllegalStateException("unknown fallback " + config.regoFallback());
            }
        }
        final RegoPolicyStrategy s = new RegoPolicyStrategy(dir, config.regoQuery(), config.constitutionalHash(), config.regoCacheEntries(),
            metrics, MODE_NATIVE, null);
        try
        {
            s.current = RegoBundle.load(dir, config.regoQuery(), s.generations.incrementAndGet());
        }
        catch (final PolicyEvaluationException e)
        {
            throw new ConfigurationException("rego_dir", "Rego bundle " + dir + " failed to load: " + e.policyPath() + ": " + e.reason(), e);
        }
        s.latestVersion = s.current.version();
        s.activeVersion = s.current.version();
        LOG.info("rego: " + s.current);
        if (config.regoWatch())
        {
            s.watcher = RegoWatcher.start(s);
        }
        return s;
    }

    /**
     * Bus thread: decides one message (for broadcast, one recipient).
     *
     * @param recipient the recipient, or null (none resolved).
     * @param digest    the content digest, already computed for this message.
     * @return 0 (allow), {@link RejectReason#REGO_DENIED}'s code, or {@link RejectReason#VALIDATOR_ERROR}'s code
     *     when evaluation failed.
     */
    public int decide(final AgentRecord sender, final AgentRecord recipient, final int messageType, final ContentDigest digest)
    {
        if (pending.get() != null)
        {
            swap();
        }
        if (mode != MODE_NATIVE)
        {
            metrics.onRegoDecision(false);
            return RejectReason.REGO_DENIED.code();
        }
        final RegoBundle b = current;
        final long agents = DecisionCache.agents(sender.handle(), recipient == null ? -1 : recipient.handle());
        final long context = DecisionCache.context(sender.tenantIndex(), sender.maciRole() == null ? -1 : sender.maciRole().ordinal(), messageType);
        final int cached = cache.get(agents, context, digest.hi(), digest.lo(), b.generation());
        if (cached != DecisionCache.MISS)
        {
            metrics.onRegoCacheHit();
            metrics.onRegoDecision(cached == DecisionCache.ALLOW);
            return cached == DecisionCache.ALLOW ? 0 : RejectReason.REGO_DENIED.code();
        }
        metrics.onRegoCacheMiss();
        final int r = encode(b, sender, recipient, messageType, digest) ? b.engine().decide(input.segment(), input.length()) : NativeRegoEngine.ERR_INPUT;
        if (r == NativeRegoEngine.ALLOW || r == NativeRegoEngine.DENY)
        {
            cache.put(agents, context, digest.hi(), digest.lo(), b.generation(), r == NativeRegoEngine.ALLOW ? DecisionCache.ALLOW : DecisionCache.DENY);
            metrics.onRegoDecision(r == NativeRegoEngine.ALLOW);
            return r == NativeRegoEngine.ALLOW ? 0 : RejectReason.REGO_DENIED.code();
        }
        lastError = r;
        metrics.onRegoError();
        return RejectReason.VALIDATOR_ERROR.code();
    }

    /**
     * Bus thread, the idle warm-up: looks the input up in the cache and counts nothing, swaps nothing, evaluates
     * nothing.
     */
    public void warm(final AgentRecord sender, final AgentRecord recipient, final int messageType, final ContentDigest digest)
    {
        final RegoBundle b = current;
        if (b != null && sender != null)
        {
            cache.get(DecisionCache.agents(sender.handle(), recipient == null ? -1 : recipient.handle()),
                DecisionCache.context(sender.tenantIndex(), sender.maciRole() == null ? -1 : sender.maciRole().ordinal(), messageType),
                digest.hi(), digest.lo(), b.generation());
        }
    }

    /** Bus thread: the version that decided the last message ({@link #FALLBACK_VERSION} under deny-all). */
    public String decidedVersion()
    {
        final RegoBundle b = current;
        return b == null ? FALLBACK_VERSION : b.version();
    }

    /** @return true when every message is denied because the library is missing. */
    public boolean denyAll()
    {
        return mode == MODE_DENY_ALL;
    }

    /** Bus thread: the last evaluation error code (negative; for the rejection text). */
    public int lastError()
    {
        return lastError;
    }

    /** Bus thread: a scratch digest the stage may use (one per bus thread, like the rest of this state). */
    public ContentDigest digest()
    {
        return scratchDigest;
    }

    /**
     * Told after every reload attempt, on the reloading thread (the watcher or the caller, never the bus thread):
     * {@code (version, null)} when a bundle was compiled and offered, {@code (null, error)} when it was refused.
     * The bus records it in the audit log (POLICY_RELOAD).
     */
    public void onReload(final java.util.function.BiConsumer<String, String> listener)
    {
        this.reloadListener = listener;
    }

    private void reloaded(final String version, final String error)
    {
        final java.util.function.BiConsumer<String, String> l = reloadListener;
        if (l != null)
        {
            try
            {
                l.accept(version, error);
            }
            catch (final RuntimeException e)
            {
                LOG.warning("rego: reload listener failed: " + ThrowableText.describe(e));
            }
        }
    }

    /**
     * Recompiles the bundle from its directory on the calling thread and offers it to the bus thread, which
     * starts using it at its next message. Reloads are serialised; a newer offer replaces one the bus has not
     * taken yet (that one is closed unused).
     *
     * @return the new bundle's version.
     * @throws PolicyEvaluationException naming file and line when the bundle does not compile (the running
     *     bundle stays); also when Rego is not evaluating (fallback mode) or the bus is closed.
     */
    public String reload()
    {
        if (mode != MODE_NATIVE)
        {
            throw new PolicyEvaluationException(String.valueOf(dir), "Rego is not evaluating (" + unavailableReason + "): nothing to reload");
        }
        synchronized (reloadLock)
        {
            if (closed)
            {
                throw new PolicyEvaluationException(String.valueOf(dir), "the bus is closed");
            }
            final RegoBundle next;
            try
            {
                next = RegoBundle.load(dir, query, generations.incrementAndGet());
            }
            catch (final RuntimeException e)
            {
                metrics.onRegoReload(false);
                LOG.warning("rego: reload of " + dir + " refused, still running version " + activeVersion + ": " + ThrowableText.message(e));
                reloaded(null, ThrowableText.message(e));
                throw e;
            }
            final RegoBundle unused = pending.getAndSet(next);
            if (unused != null)
            {
                unused.close();
            }
            latestVersion = next.version();
            metrics.onRegoReload(true);
            LOG.info("rego: reloaded " + next + " (the bus switches at its next message)");
            reloaded(next.version(), null);
            return next.version();
        }
    }

    /** @return the version the bus thread decides with now. */
    public String activeVersion()
    {
        return mode == MODE_NATIVE ? activeVersion : FALLBACK_VERSION;
    }

    /** @return the newest compiled version (the bus switches to it at its next message). */
    public String latestVersion()
    {
        return mode == MODE_NATIVE ? latestVersion : FALLBACK_VERSION;
    }

    /** @return the bundle directory. */
    public Path dir()
    {
        return dir;
    }

    /** @return the rule queried. */
    public String query()
    {
        return query;
    }

    /** @return the decision cache's capacity in entries. */
    public int cacheEntries()
    {
        return cache.capacity();
    }

    /** @return the constitutional hash every decision is made under. */
    public String constitutionalHash()
    {
        return constitutionalHash;
    }

    /** After the bus thread stopped: stops the watcher and frees the engines. */
    @Override
    public void close()
    {
        synchronized (reloadLock)
        {
            closed = true;
            if (watcher != null)
            {
                watcher.close();
            }
            final RegoBundle p = pending.getAndSet(null);
            if (p != null)
            {
                p.close();
            }
            if (current != null)
            {
                current.close();
                current = null;
            }
        }
    }

    /** The text of a {@link RejectReason#REGO_DENIED} rejection. */
    public static String deniedText(final BusConfiguration config, final AgentMessage m, final AgentRecord recipient, final long detail)
    {
        if (detail == DETAIL_FALLBACK)
        {
            return "Rego policies are configured (" + config.regoDir() + ") but cannot be evaluated (native library unavailable): " +
                "rego_fallback=deny-all rejects every message";
        }
        return "Policy denied " + m.messageType().value() + " from '" + m.sendingAgent() + "'" +
            (recipient == null ? "" : " to '" + recipient.agentId() + "'") + ": Rego rule " + config.regoQuery() + " is not true for this input";
    }

    /** @return a text for an evaluation error code. */
    public static String errorText(final int code)
    {
        return switch (code)
        {
            case NativeRegoEngine.ERR_EVAL -> "Rego evaluation failed (builtin error or time budget exceeded)";
            case NativeRegoEngine.ERR_NOT_BOOLEAN -> "the Rego rule did not evaluate to a boolean";
            case NativeRegoEngine.ERR_INPUT -> "the Rego decision input could not be encoded (a field over 65535 bytes)";
            case NativeRegoEngine.ERR_DOWNCALL -> "the Rego downcall failed";
            default -> "eab_rego_decide returned " + code;
        };
    }

    private void swap()
    {
        final RegoBundle next = pending.getAndSet(null);
        if (next == null)
        {
            return;
        }
        final RegoBundle old = current;
        current = next;
        activeVersion = next.version();
        if (old != null)
        {
            old.close();
        }
    }

    /** Writes the compact input ({@link RegoInputDescriptor}). @return false when a field is too long. */
    private boolean encode(final RegoBundle b, final AgentRecord sender, final AgentRecord recipient, final int messageType, final ContentDigest digest)
    {
        final MaciRole role = sender.maciRole();
        digest.writeHex(digestHex, 0);
        final byte[] senderId = id(sender);
        final byte[] tenant = tenants[sender.handle()];
        final byte[] recipientId = recipient == null ? EMPTY : id(recipient);
        final byte[] roleBytes = role == null ? EMPTY : ROLE_UTF8[role.ordinal()];
        final byte[] type = messageType >= 0 && messageType < TYPE_UTF8.length ? TYPE_UTF8[messageType] : EMPTY;
        final byte[] version = b.versionUtf8();
        final long needed = (long)RegoInputDescriptor.FIELD_COUNT * RegoInputDescriptor.LENGTH_PREFIX_BYTES + senderId.length + roleBytes.length +
            tenant.length + type.length + recipientId.length + digestHex.length + version.length;
        if (senderId.length > RegoInputDescriptor.MAX_FIELD_BYTES || tenant.length > RegoInputDescriptor.MAX_FIELD_BYTES ||
            recipientId.length > RegoInputDescriptor.MAX_FIELD_BYTES)
        {
            return false;
        }
        input.begin(needed).field(senderId).field(roleBytes).field(tenant).field(type).field(recipientId).field(digestHex).field(version);
        return true;
    }

    /** The record's id as UTF-8, encoded once per registration (and its tenant with it). */
    private byte[] id(final AgentRecord r)
    {
        final int h = r.handle();
        if (h >= owners.length)
        {
            final int n = Integer.highestOneBit(h) << 1;
            owners = Arrays.copyOf(owners, n);
            ids = Arrays.copyOf(ids, n);
            tenants = Arrays.copyOf(tenants, n);
        }
        if (owners[h] != r)
        {
            ids[h] = r.agentId().getBytes(StandardCharsets.UTF_8);
            tenants[h] = r.tenantId() == null ? EMPTY : r.tenantId().getBytes(StandardCharsets.UTF_8);
            owners[h] = r;
        }
        return ids[h];
    }

    /** @return the JSON object the policy sees for these fields (sorted keys, as Rust renders it): the Java twin of the decoder. */
    public static String inputJson(final String[] fields)
    {
        final java.util.TreeMap<String, Object> m = new java.util.TreeMap<>();
        for (int i = 0; i < RegoInputDescriptor.FIELD_COUNT; i++)
        {
            m.put(RegoInputDescriptor.FIELD_NAMES.get(i), fields[i]);
        }
        return dev.eab.core.ops.Json.compact(m);
    }
}
