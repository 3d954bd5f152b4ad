package dev.eab.core.resilience;

import dev.eab.api.exception.ThrowableText;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The bus's health from its breakers (reference §4.1): score = (closed + 0.5 × half-open) / total, 1.0 with no
 * breakers; HEALTHY / DEGRADED / CRITICAL by {@link HealthConfig}; half-open services are "degraded", open ones
 * "critical". Sources: every breaker of the {@link BreakerRegistry} plus custom ones ({@link #registerSource}).
 *
 * <p>Every snapshot taken ({@link #health()}, or on a breaker transition, which the registry reports) goes into a
 * bounded history ({@code maxHistory}, read back within a time window). Change callbacks fire only when the status
 * differs from the previous snapshot's (the first snapshot counts as a change, as in the original), on the
 * aggregator's own daemon thread: the caller (possibly the bus thread, through a breaker transition) never waits
 * for them, never sees their exceptions (logged and counted), and a full callback queue drops and counts.
 * Thread-safe.
 */
public final class HealthAggregator implements HealthSource, AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(HealthAggregator.class.getName());
    /** Callback batches waiting for the callback thread; beyond this they are dropped and counted. */
    private static final int CALLBACK_QUEUE = 1024;

    private final BreakerRegistry registry;
    private final HealthConfig config;
    private final Clock clock;
    private final Map<String, Supplier<BreakerState>> custom = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<HealthSnapshot>> callbacks = new CopyOnWriteArrayList<>();
    private final ArrayDeque<HealthSnapshot> history = new ArrayDeque<>();
    private final ThreadPoolExecutor callbackThread;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong callbacksFired = new AtomicLong();
    private final AtomicLong callbackFailures = new AtomicLong();
    private final AtomicLong callbacksDropped = new AtomicLong();
    private HealthStatus previous;
    private volatile HealthSnapshot last;

    public HealthAggregator(final BreakerRegistry registry, final HealthConfig config, final Clock clock)
    {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.callbackThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CALLBACK_QUEUE), r -> {
            final Thread t = new Thread(r, "eab-health-callbacks");
            t.setDaemon(true);
            return t;
        });
        // A transition may happen on the bus thread: hand it over, take the snapshot on the callback thread.
        registry.addListener((service, from, to) -> submit(this::health));
    }

    public HealthAggregator(final BreakerRegistry registry)
    {
        this(registry, HealthConfig.DEFAULTS, Clock.systemUTC());
    }

    /**
     * Adds a breaker that is not in the registry (the original's {@code register_circuit_breaker}); its state
     * supplier is read on every snapshot.
     */
    public void registerSource(final String name, final Supplier<BreakerState> state)
    {
        custom.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(state, "state"));
    }

    /** Adds a callback fired with the new snapshot whenever the status changes. */
    public void onHealthChange(final Consumer<HealthSnapshot> callback)
    {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
    }

    /** @return the score of a set of breaker states: (closed + 0.5 × half-open) / total, 1.0 when empty */
    public static double score(final Iterable<BreakerState> states)
    {
        int total = 0;
        double sum = 0;
        for (final BreakerState s : states)
        {
            total++;
            sum += s == BreakerState.CLOSED ? 1.0 : s == BreakerState.HALF_OPEN ? 0.5 : 0.0;
        }
        return total == 0 ? 1.0 : sum / total;
    }

    /** Takes a snapshot now: recorded in the history, callbacks fired if the status changed. */
    @Override
    public HealthSnapshot health()
    {
        final Map<String, BreakerState> states = new TreeMap<>(registry.states());
        custom.forEach((name, supplier) -> states.put(name, readCustom(name, supplier)));
        final double score = score(states.values());
        final List<String> degraded = new ArrayList<>();
        final List<String> critical = new ArrayList<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        states.forEach((name, s) -> {
            labels.put(name, s.name());
            if (s == BreakerState.HALF_OPEN)
            {
                degraded.add(name);
            }
            else if (s == BreakerState.OPEN)
            {
                critical.add(name);
            }
        });
        final HealthSnapshot snapshot = new HealthSnapshot(config.statusOf(score), score, List.copyOf(degraded), List.copyOf(critical),
            Collections.unmodifiableMap(labels), clock.instant());
        record(snapshot);
        return snapshot;
    }

    private static BreakerState readCustom(final String name, final Supplier<BreakerState> supplier)
    {
        try
        {
            final BreakerState s = supplier.get();
            return s == null ? BreakerState.OPEN : s;
        }
        catch (final RuntimeException e)
        {
            // A source that cannot say is not healthy: fail closed.
            BreakerRegistry.warn(LOG, "health source " + name + " failed: " + ThrowableText.describe(e));
            return BreakerState.OPEN;
        }
    }

    private void record(final HealthSnapshot snapshot)
    {
        final boolean changed;
        synchronized (history)
        {
            snapshots.incrementAndGet();
            history.addLast(snapshot);
            while (history.size() > config.maxHistory())
            {
                history.removeFirst();
            }
            changed = snapshot.status() != previous;
            previous = snapshot.status();
            last = snapshot;
        }
        if (changed && !callbacks.isEmpty())
        {
            submit(() -> fireCallbacks(snapshot));
        }
    }

    private void fireCallbacks(final HealthSnapshot snapshot)
    {
        for (final Consumer<HealthSnapshot> cb : callbacks)
        {
            callbacksFired.incrementAndGet();
            try
            {
                cb.accept(snapshot);
            }
            catch (final Throwable t)
            {
                callbackFailures.incrementAndGet();
                BreakerRegistry.warn(LOG, "health callback failed: " + ThrowableText.describe(t));
            }
        }
    }

    private void submit(final Runnable task)
    {
        try
        {
            callbackThread.execute(task);
        }
        catch (final RejectedExecutionException e)
        {
            callbacksDropped.incrementAndGet();
        }
    }

    /** @return the snapshots within the configured window (oldest first) */
    public List<HealthSnapshot> history()
    {
        return history(config.historyWindow());
    }

    /** @return the snapshots taken at or after now − {@code window} (oldest first), at most {@code maxHistory} */
    public List<HealthSnapshot> history(final Duration window)
    {
        final Instant from = clock.instant().minus(window);
        synchronized (history)
        {
            final List<HealthSnapshot> out = new ArrayList<>(history.size());
            for (final HealthSnapshot s : history)
            {
                if (!s.at().isBefore(from))
                {
                    out.add(s);
                }
            }
            return out;
        }
    }

    /** @return the last snapshot taken, or a fresh one if none yet */
    public HealthSnapshot last()
    {
        final HealthSnapshot s = last;
        return s == null ? health() : s;
    }

    /** @return the configuration */
    public HealthConfig config()
    {
        return config;
    }

    /** @return counters: snapshots_collected, callbacks_fired, callback_failures, callbacks_dropped, history_size, current_status, current_health_score, total_breakers */
    public Map<String, Object> metrics()
    {
        final HealthSnapshot s = last;
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshots_collected", snapshots.get());
        m.put("callbacks_fired", callbacksFired.get());
        m.put("callback_failures", callbackFailures.get());
        m.put("callbacks_dropped", callbacksDropped.get());
        synchronized (history)
        {
            m.put("history_size", history.size());
        }
        m.put("current_status", s == null ? HealthStatus.UNKNOWN.name() : s.status().name());
        m.put("current_health_score", s == null ? 0.0 : Math.round(s.score() * 1000) / 1000.0);
        m.put("total_breakers", registry.size() + custom.size());
        return m;
    }

    /** Waits (bounded) until the callbacks queued so far have run: for tests and orderly shutdown. */
    public boolean awaitCallbacks(final Duration timeout) throws InterruptedException
    {
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        submit(done::countDown);
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close()
    {
        callbackThread.shutdownNow();
    }
}
