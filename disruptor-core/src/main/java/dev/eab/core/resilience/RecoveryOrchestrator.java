package dev.eab.core.resilience;

import dev.eab.api.exception.AgentBusException;
import dev.eab.api.exception.ThrowableText;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Recovers failed services (reference §4.2, its defects fixed): one task per service, attempts spaced by the
 * {@link RecoveryStrategy} and {@link RecoveryPolicy}, success decided by the policy's health check.
 *
 * <p>Scheduling: tasks wait in a timeline ordered by due time; every task that is due moves to a ready queue ordered
 * by priority (lower number first), and the next attempt is the ready queue's head. So a due low-priority task never
 * waits behind a high-priority one that is not yet due (the original only looked at its heap's head). Cancel removes
 * the task from both queues. A MANUAL task waits in AWAITING_MANUAL until {@link #trigger} (or
 * {@link #executeRecovery}). History is bounded ({@value #MAX_HISTORY} events).
 *
 * <p>Breakers: {@link #watch} schedules the recovery of a service whose breaker opens; its health check is the
 * service's probe (never true while chaos forces the breaker open), and success closes the breaker, which the
 * health aggregator sees as a transition. The transition may come from the bus thread: it is queued and the
 * orchestrator's thread woken ({@code unpark}), never blocked on.
 *
 * <p>Threads: one daemon thread ({@link #start()}) runs attempts, so a health check should be short (a slow one
 * delays the other services' attempts; the bus's probes are one native call or one guard build); the API is
 * thread-safe (one lock, never held while a health check runs).
 */
public final class RecoveryOrchestrator implements AutoCloseable
{
    /** Events kept in the history. */
    public static final int MAX_HISTORY = 100;
    /** Priority of recoveries scheduled for an opened breaker. */
    public static final int BREAKER_PRIORITY = 1;
    private static final long IDLE_PARK_MS = 1_000;
    private static final Logger LOG = Logger.getLogger(RecoveryOrchestrator.class.getName());

    /** One event of the history: a task's transition. */
    public record Event(String service, RecoveryState from, RecoveryState to, int attempt, long nextDelayMs, String detail, Instant at)
    {
    }

    /** Hears a task end (SUCCEEDED, FAILED or CANCELLED), on the thread that ended it. */
    @FunctionalInterface
    public interface Listener
    {
        void onFinished(String service, RecoveryState outcome);
    }

    private static final class Task
    {
        final String service;
        final RecoveryStrategy strategy;
        final int priority;
        final RecoveryPolicy policy;
        final long order;
        RecoveryState state = RecoveryState.IDLE;
        int attempts;
        long dueAtMs;

        Task(final String service, final RecoveryStrategy strategy, final int priority, final RecoveryPolicy policy, final long order)
        {
            this.service = service;
            this.strategy = strategy;
            this.priority = priority;
            this.policy = policy;
            this.order = order;
        }
    }

    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, Task> tasks = new HashMap<>();
    private final PriorityQueue<Task> timeline = new PriorityQueue<>(
        Comparator.comparingLong((Task t) -> t.dueAtMs).thenComparingInt(t -> t.priority).thenComparingLong(t -> t.order));
    private final PriorityQueue<Task> ready = new PriorityQueue<>(Comparator.comparingInt((Task t) -> t.priority).thenComparingLong(t -> t.order));
    private final ArrayDeque<Event> history = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<String> openedBreakers = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private BreakerRegistry watched;
    private long nextOrder;
    private long succeeded;
    private long failed;
    private long attemptsMade;
    private volatile Thread loop;
    private volatile boolean running;

    public RecoveryOrchestrator(final Clock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public RecoveryOrchestrator()
    {
        this(Clock.systemUTC());
    }

    /**
     * Starts the orchestrator's thread.
     *
     * @throws AgentBusException "already running" when started twice
     */
    public void start()
    {
        synchronized (lock)
        {
            if (running)
            {
                throw new AgentBusException("already running");
            }
            running = true;
            final Thread t = new Thread(this::run, "eab-recovery");
            t.setDaemon(true);
            loop = t;
            t.start();
        }
    }

    /** Stops the thread (tasks stay as they are; a later {@link #start()} carries on with them). */
    public void stop()
    {
        final Thread t;
        synchronized (lock)
        {
            running = false;
            t = loop;
            loop = null;
        }
        if (t != null)
        {
            LockSupport.unpark(t);
            try
            {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close()
    {
        stop();
    }

    /** @return true while the thread runs */
    public boolean isRunning()
    {
        return running;
    }

    /** Adds a listener for tasks that end. */
    public void addListener(final Listener listener)
    {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Recovers the services of {@code registry}'s breakers when they open: a breaker going to OPEN (tripped, or forced
     * by chaos) schedules an EXPONENTIAL_BACKOFF recovery whose health check is the service's probe; success closes
     * the breaker.
     */
    public void watch(final BreakerRegistry registry)
    {
        synchronized (lock)
        {
            watched = registry;
        }
        registry.addListener((service, from, to) -> {
            if (to == BreakerState.OPEN)
            {
                openedBreakers.offer(service);
                final Thread t = loop;
                if (t != null)
                {
                    LockSupport.unpark(t);
                }
            }
        });
    }

    /** Schedules recovery of a watched breaker's service (a no-op when one is active). */
    public void scheduleBreaker(final String service)
    {
        final BreakerRegistry registry;
        synchronized (lock)
        {
            registry = watched;
        }
        if (registry == null || registry.get(service) == null)
        {
            return;
        }
        final CircuitBreaker breaker = registry.get(service);
        final java.util.function.BooleanSupplier probe = registry.probe(service);
        schedule(service, RecoveryStrategy.EXPONENTIAL_BACKOFF, BREAKER_PRIORITY, RecoveryPolicy.withHealthCheck(() ->
            breaker.getState() != CircuitBreaker.State.FORCED_OPEN && (probe == null || probe.getAsBoolean())));
    }

    /** {@link #schedule(String, RecoveryStrategy, int, RecoveryPolicy)} with priority 1 and the default policy. */
    public RecoveryState schedule(final String service, final RecoveryStrategy strategy)
    {
        return schedule(service, strategy, 1, RecoveryPolicy.DEFAULTS);
    }

    /**
     * Schedules a recovery of {@code service}. Nothing happens when one is already active (the original's rule).
     * The first attempt is due after the strategy's first delay; a MANUAL task waits for {@link #trigger}.
     *
     * @return the task's state after the call
     */
    public RecoveryState schedule(final String service, final RecoveryStrategy strategy, final int priority, final RecoveryPolicy policy)
    {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(policy, "policy");
        final Thread wake;
        synchronized (lock)
        {
            final Task existing = tasks.get(service);
            if (existing != null)
            {
                return existing.state;
            }
            final Task t = new Task(service, strategy, priority, policy, nextOrder++);
            tasks.put(service, t);
            if (strategy == RecoveryStrategy.MANUAL)
            {
                transition(t, RecoveryState.AWAITING_MANUAL, 0, "waiting for an operator");
                return t.state;
            }
            enqueue(t, policy.delayMs(strategy, 1), "scheduled");
            wake = loop;
        }
        if (wake != null)
        {
            LockSupport.unpark(wake);
        }
        return RecoveryState.SCHEDULED;
    }

    /**
     * An operator's go for a MANUAL task waiting in AWAITING_MANUAL: its attempt is due now.
     *
     * @return false when the service has no task waiting for an operator
     */
    public boolean trigger(final String service)
    {
        final Thread wake;
        synchronized (lock)
        {
            final Task t = tasks.get(service);
            if (t == null || t.state != RecoveryState.AWAITING_MANUAL)
            {
                return false;
            }
            enqueue(t, 0, "triggered by an operator");
            wake = loop;
        }
        if (wake != null)
        {
            LockSupport.unpark(wake);
        }
        return true;
    }

    /**
     * Runs one attempt of {@code service}'s recovery now, on the calling thread.
     *
     * @return the task's state after the attempt
     * @throws AgentBusException "No active recovery task" when the service has none
     */
    public RecoveryState executeRecovery(final String service)
    {
        final Task t;
        synchronized (lock)
        {
            t = tasks.get(service);
            if (t == null)
            {
                throw new AgentBusException("No active recovery task", Map.of("service", String.valueOf(service)));
            }
            if (t.state == RecoveryState.IN_PROGRESS)
            {
                return t.state;
            }
            timeline.remove(t);
            ready.remove(t);
            t.attempts++;
            attemptsMade++;
            transition(t, RecoveryState.IN_PROGRESS, 0, "attempt " + t.attempts);
        }
        return attempt(t);
    }

    private RecoveryState attempt(final Task t)
    {
        boolean ok;
        String detail;
        try
        {
            ok = t.policy.healthCheck() == null || t.policy.healthCheck().getAsBoolean();
            detail = ok ? "health check passed" : "health check failed";
        }
        catch (final Throwable e)
        {
            ok = false;
            detail = "health check threw: " + ThrowableText.describe(e);
        }
        final RecoveryState outcome;
        synchronized (lock)
        {
            if (t.state != RecoveryState.IN_PROGRESS)
            {
                // Cancelled while the check ran: cancel wins.
                return t.state;
            }
            if (ok)
            {
                succeeded++;
                tasks.remove(t.service);
                transition(t, RecoveryState.SUCCEEDED, 0, detail);
            }
            else if (t.attempts >= t.policy.maxRetryAttempts())
            {
                failed++;
                tasks.remove(t.service);
                transition(t, RecoveryState.FAILED, 0, detail + "; " + t.attempts + " attempt(s) made");
            }
            else if (t.strategy == RecoveryStrategy.MANUAL)
            {
                transition(t, RecoveryState.AWAITING_MANUAL, 0, detail);
            }
            else
            {
                enqueue(t, t.policy.delayMs(t.strategy, t.attempts + 1), detail);
            }
            outcome = t.state;
        }
        if (outcome.terminal())
        {
            finished(t.service, outcome);
        }
        return outcome;
    }

    /**
     * Cancels {@code service}'s task: removed from the queues at once.
     *
     * @return false when it has none
     */
    public boolean cancel(final String service)
    {
        synchronized (lock)
        {
            final Task t = tasks.remove(service);
            if (t == null)
            {
                return false;
            }
            timeline.remove(t);
            ready.remove(t);
            transition(t, RecoveryState.CANCELLED, 0, "cancelled");
        }
        finished(service, RecoveryState.CANCELLED);
        return true;
    }

    /** @return the state of {@code service}'s task, IDLE when it has none */
    public RecoveryState state(final String service)
    {
        synchronized (lock)
        {
            final Task t = tasks.get(service);
            return t == null ? RecoveryState.IDLE : t.state;
        }
    }

    /** @return the attempts made by {@code service}'s active task (0 without one) */
    public int attempts(final String service)
    {
        synchronized (lock)
        {
            final Task t = tasks.get(service);
            return t == null ? 0 : t.attempts;
        }
    }

    /** @return the history, oldest first (at most {@value #MAX_HISTORY} events) */
    public List<Event> history()
    {
        synchronized (lock)
        {
            return List.copyOf(history);
        }
    }

    /** @return the status: running, active and queued recoveries, services by state, counters, the last 10 events */
    public Map<String, Object> status()
    {
        synchronized (lock)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("orchestrator_running", running);
            m.put("active_recoveries", tasks.size());
            m.put("queued_recoveries", timeline.size() + ready.size());
            final Map<String, Object> services = new TreeMap<>();
            tasks.forEach((name, t) -> services.put(name, Map.of("state", t.state.name(), "attempts", t.attempts,
                "max_attempts", t.policy.maxRetryAttempts(), "strategy", t.strategy.name())));
            m.put("services", services);
            m.put("attempts", attemptsMade);
            m.put("succeeded", succeeded);
            m.put("failed", failed);
            final List<Object> recent = new ArrayList<>();
            final List<Event> all = List.copyOf(history);
            for (final Event e : all.subList(Math.max(0, all.size() - 10), all.size()))
            {
                recent.add(Map.of("service", e.service(), "from", e.from().name(), "to", e.to().name(), "attempt", e.attempt(),
                    "detail", e.detail(), "at", e.at().toString()));
            }
            m.put("recent_history", recent);
            return m;
        }
    }

    // ---- the loop

    private void run()
    {
        while (running)
        {
            String opened;
            while ((opened = openedBreakers.poll()) != null)
            {
                scheduleBreaker(opened);
            }
            final Task next;
            long parkMs = IDLE_PARK_MS;
            synchronized (lock)
            {
                final long now = clock.millis();
                while (!timeline.isEmpty() && timeline.peek().dueAtMs <= now)
                {
                    ready.add(timeline.poll());
                }
                next = ready.poll();
                if (next != null)
                {
                    next.attempts++;
                    attemptsMade++;
                    transition(next, RecoveryState.IN_PROGRESS, 0, "attempt " + next.attempts);
                }
                else if (!timeline.isEmpty())
                {
                    parkMs = Math.min(IDLE_PARK_MS, Math.max(1, timeline.peek().dueAtMs - now));
                }
            }
            if (next != null)
            {
                attempt(next);
            }
            else
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(parkMs));
            }
        }
    }

    // ---- under the lock

    private void enqueue(final Task t, final long delayMs, final String detail)
    {
        t.dueAtMs = clock.millis() + delayMs;
        transition(t, RecoveryState.SCHEDULED, delayMs, detail);
        timeline.add(t);
    }

    private void transition(final Task t, final RecoveryState to, final long delayMs, final String detail)
    {
        final RecoveryState from = t.state;
        t.state = to;
        history.addLast(new Event(t.service, from, to, t.attempts, delayMs, detail, clock.instant()));
        while (history.size() > MAX_HISTORY)
        {
            history.removeFirst();
        }
    }

    private void finished(final String service, final RecoveryState outcome)
    {
        if (outcome == RecoveryState.SUCCEEDED)
        {
            closeBreaker(service);
        }
        for (final Listener l : listeners)
        {
            try
            {
                l.onFinished(service, outcome);
            }
            catch (final Throwable e)
            {
                BreakerRegistry.warn(LOG, "recovery listener failed for " + service + ": " + ThrowableText.describe(e));
            }
        }
    }

    /** A recovered watched service's breaker closes (unless something forces it open). */
    private void closeBreaker(final String service)
    {
        final BreakerRegistry registry;
        synchronized (lock)
        {
            registry = watched;
        }
        final CircuitBreaker b = registry == null ? null : registry.get(service);
        if (b != null && (b.getState() == CircuitBreaker.State.OPEN || b.getState() == CircuitBreaker.State.HALF_OPEN))
        {
            b.transitionToClosedState();
        }
    }
}
