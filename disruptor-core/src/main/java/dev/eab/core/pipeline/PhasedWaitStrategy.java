package dev.eab.core.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A Disruptor wait strategy for a consumer that finds the ring empty, in three phases measured from the
 * moment it went idle: spin ({@link Thread#onSpinWait()}) for {@code spinNanos}, then {@link Thread#yield()}
 * until {@code yieldNanos} more have passed, then park. A publisher pays for a wake-up only when the
 * consumer has actually parked: {@link #signalAllWhenBlocking()} (called by the sequencer on every
 * publish) reads one volatile flag and calls {@link LockSupport#unpark} only when it is set. So a busy bus
 * costs its publishers one load per message, and an idle one gives its core back to the host.
 *
 * <p>Why: on a shared host (a laptop, a 2-vCPU VM, a busy box) a consumer that never sleeps competes with
 * everything else for the core, and the scheduler makes it wait out other threads' time slices: the tail
 * goes to the host. A thread that sleeps is woken promptly. Spinning first keeps the latency of a steady
 * stream; parking keeps the tail of an idle or bursty one.
 *
 * <p>Adaptive spinning (optional): a spin loop iteration takes well under a microsecond, so a gap of more than
 * {@link #PREEMPTED_NANOS} between two of them means the thread lost its core while spinning: the host is
 * oversubscribed, and there a thread that keeps spinning is treated as CPU-bound and waits out other threads'
 * time slices. The strategy then skips the spin and yield phases (parks at once) for {@link #SPIN_BACKOFF_NANOS}.
 *
 * <p>Learned spin (optional, PHASED's default): the spin phase is {@code spinNanos} or nothing, chosen per idle
 * episode by a {@link SpinLearner} from the gaps this consumer saw (spin while most recent idle episodes were
 * short, i.e. a steady stream), and the no-spin period after a preemption doubles with each preemption that
 * follows soon after the previous one (50 ms up to 1.6 s) instead of staying at {@link #SPIN_BACKOFF_NANOS}.
 *
 * <p>Learned cadence (optional, PHASED's default): a {@link CadenceLearner} learns the pace of a steady sender whose
 * gaps are too long to spin through (≥ 50 µs). While the gaps are regular the strategy parks only until
 * {@code cadenceLeadNanos} before the next message is due (a timed park, with the thread's timer slack cut to
 * {@link #CADENCE_TIMER_SLACK_NANOS} so that it wakes on time), then spins until a little after it is due, and
 * then parks as before. So the wake-up that costs 5–25 µs on a VM happens before the message instead of after it.
 * The window opens with one idle tick, so the handler warms the path ({@link PathWarmer}) just before the message is
 * due; no other tick runs inside it, so no probe is running when the message comes. A message that comes
 * outside the window is woken by its publisher as without a cadence.
 *
 * <p>Idle ticks: when {@code tickNanos > 0}, every {@code tickNanos} of continuous idleness
 * {@link #waitFor} throws {@link TimeoutException}, so the {@code BatchEventProcessor} calls the handler's
 * {@code onTimeout}; the bus keeps its working set warm there ({@link PathWarmer}). The phases go on across
 * ticks: a tick does not make the consumer spin again.
 *
 * <p>Wake-up handshake (Dekker): the consumer sets {@code parked}, issues a full fence, then reads the
 * cursor; a publisher advances the cursor with a CAS (the multi-producer sequencer's claim), then reads
 * {@code parked}. At least one of them sees the other's write, so a wake-up is never missed with
 * {@code ProducerType.MULTI} (the bus's). With a single-producer sequencer the cursor is published with a
 * release store and a wake-up can be missed: the park is then bounded by {@code maxParkNanos}.
 *
 * <p>Ownership: one consumer thread per instance. {@code waiter}, {@code idleSinceNanos}, {@code nextTickNanos}
 * {@code spinAgainAtNanos}, {@code episodeSpinNanos}, {@code episodeYieldEndNanos}, the cadence window and counters,
 * the {@link SpinLearner} and the {@link CadenceLearner} belong to it (other threads may read {@link #episodeSpinNanos()} racily, for diagnostics); {@code parked} is set by it and cleared by whichever of it and the
 * publishers gets there first. Allocation-free.
 */
public final class PhasedWaitStrategy implements WaitStrategy
{
    /** Phase length meaning "for ever" (never leave this phase). */
    public static final long FOREVER = Long.MAX_VALUE;
    /** A gap between two spin iterations longer than this means the spinning thread was descheduled. */
    public static final long PREEMPTED_NANOS = 50_000;
    /** After a preemption while spinning, park at once (no spin, no yield) for this long. */
    public static final long SPIN_BACKOFF_NANOS = 50_000_000;
    /** Timer slack of a consumer that times its wake-ups to a learned cadence (the kernel's default is 50 µs). */
    public static final long CADENCE_TIMER_SLACK_NANOS = 1_000;
    private static final long NOT_IDLE = Long.MIN_VALUE;
    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final VarHandle PARKED_STATE;

    static
    {
        try
        {
            PARKED_STATE = MethodHandles.lookup().findVarHandle(PhasedWaitStrategy.class, "parked", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long spinNanos;
    private final long yieldEndNanos;
    private final long maxParkNanos;
    private final long tickNanos;
    private final boolean adaptive;
    private final SpinLearner learner;
    private final CadenceLearner cadence;
    @SuppressWarnings("unused") // accessed through PARKED_STATE
    private volatile int parked;
    private Thread waiter;
    private long idleSinceNanos = NOT_IDLE;
    private long nextTickNanos;
    private long spinAgainAtNanos;
    private long episodeSpinNanos;
    private long episodeYieldEndNanos;
    private long windowStartNanos = CadenceLearner.NONE;
    private long windowEndNanos = CadenceLearner.NONE;
    private long cadenceSpins;
    private long windowCatches;
    private boolean windowWarmed;
    private long skippedTicks;

    /**
     * @param spinNanos    how long to spin after the ring goes empty ({@link #FOREVER}: busy-spin)
     * @param yieldNanos   how long to yield after spinning ({@link #FOREVER}: never park)
     * @param maxParkNanos longest single park (a safety net; publishers wake the consumer earlier)
     * @param tickNanos    idle tick interval for {@code onTimeout} (0: no ticks)
     * @param adaptive     skip spinning and yielding for a while after being descheduled while spinning
     */
    public PhasedWaitStrategy(final long spinNanos, final long yieldNanos, final long maxParkNanos, final long tickNanos, final boolean adaptive)
    {
        this(spinNanos, yieldNanos, maxParkNanos, tickNanos, adaptive, false);
    }

    /**
     * @param spinNanos    how long to spin after the ring goes empty; with {@code learnSpin} the cap: spin this long
     *                     or not at all, as the {@link SpinLearner} decides per idle episode
     * @param yieldNanos   how long to yield after spinning ({@link #FOREVER}: never park)
     * @param maxParkNanos longest single park (a safety net; publishers wake the consumer earlier)
     * @param tickNanos    idle tick interval for {@code onTimeout} (0: no ticks)
     * @param adaptive     skip spinning and yielding for a while after being descheduled while spinning
     * @param learnSpin    learn whether to spin from the idle gaps seen (needs {@code 0 < spinNanos < FOREVER})
     */
    public PhasedWaitStrategy(final long spinNanos, final long yieldNanos, final long maxParkNanos, final long tickNanos, final boolean adaptive,
        final boolean learnSpin)
    {
        this(spinNanos, yieldNanos, maxParkNanos, tickNanos, adaptive, learnSpin, 0);
    }

    /**
     * @param spinNanos        how long to spin after the ring goes empty; with {@code learnSpin} the cap
     * @param yieldNanos       how long to yield after spinning ({@link #FOREVER}: never park)
     * @param maxParkNanos     longest single park (a safety net; publishers wake the consumer earlier)
     * @param tickNanos        idle tick interval for {@code onTimeout} (0: no ticks)
     * @param adaptive         skip spinning and yielding for a while after being descheduled while spinning
     * @param learnSpin        learn whether to spin from the idle gaps seen (needs {@code 0 < spinNanos < FOREVER})
     * @param cadenceLeadNanos learn a steady sender's cadence and start spinning this long before its next message is
     *                         due ({@link CadenceLearner}); 0: off
     */
    public PhasedWaitStrategy(final long spinNanos, final long yieldNanos, final long maxParkNanos, final long tickNanos, final boolean adaptive,
        final boolean learnSpin, final long cadenceLeadNanos)
    {
        if (cadenceLeadNanos < 0)
        {
            throw new IllegalArgumentException("cadence lead must be >= 0");
        }
        if (learnSpin && (spinNanos <= 0 || spinNanos == FOREVER))
        {
            throw new IllegalArgumentException("a learned spin needs a finite spin cap > 0");
        }
        if (spinNanos < 0 || yieldNanos < 0 || maxParkNanos <= 0 || tickNanos < 0)
        {
            throw new IllegalArgumentException("phase lengths must be >= 0 and the park > 0");
        }
        this.spinNanos = spinNanos;
        this.yieldEndNanos = spinNanos > FOREVER - yieldNanos ? FOREVER : spinNanos + yieldNanos;
        this.maxParkNanos = maxParkNanos;
        this.tickNanos = tickNanos;
        this.adaptive = adaptive;
        this.learner = learnSpin ? new SpinLearner(spinNanos) : null;
        this.cadence = cadenceLeadNanos > 0 ? new CadenceLearner(cadenceLeadNanos) : null;
        if (cadence != null)
        {
            // Link prctl here, on the building thread: linking a downcall the first time takes ~0.1-0.2 s, which must
            // not stall the consumer's first park (the consumer then only calls it, on its own thread).
            ThreadTimerSlack.available();
        }
        // A learned spin starts off: no history yet, and parking is the safe choice on a shared host.
        this.episodeSpinNanos = learnSpin ? 0 : spinNanos;
        this.episodeYieldEndNanos = learnSpin ? yieldEndNanos - spinNanos : yieldEndNanos;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException
    {
        long available = dependentSequence.get();
        if (available >= sequence)
        {
            if (idleSinceNanos != NOT_IDLE)
            {
                // The message came while the handler ran an idle tick: the episode lasted at least one tick.
                endEpisode(System.nanoTime());
            }
            return available;
        }
        long now = System.nanoTime();
        if (idleSinceNanos == NOT_IDLE)
        {
            idleSinceNanos = now;
            nextTickNanos = now + tickNanos;
            if (learner != null)
            {
                episodeSpinNanos = learner.spinNanos();
                episodeYieldEndNanos = yieldEndNanos - spinNanos + episodeSpinNanos;
            }
            if (cadence != null)
            {
                windowStartNanos = cadence.windowStartNanos();
                windowEndNanos = cadence.windowEndNanos();
                windowWarmed = false;
            }
        }
        long previous = now;
        boolean spun = false;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (tickNanos > 0)
            {
                if (inWindow(now))
                {
                    if (!windowWarmed)
                    {
                        // One tick as the window opens: the path is warmed just before the message is due, not up to a tick earlier.
                        windowWarmed = true;
                        nextTickNanos = now + tickNanos;
                        throw TimeoutException.INSTANCE;
                    }
                    if (now - nextTickNanos >= 0)
                    {
                        nextTickNanos = now + tickNanos;
                        skippedTicks++; // the message is due: no probe may be running when it comes
                    }
                }
                else if (now - nextTickNanos >= 0)
                {
                    nextTickNanos = now + tickNanos;
                    throw TimeoutException.INSTANCE;
                }
            }
            if (adaptive && spun && now - previous > PREEMPTED_NANOS)
            {
                spinAgainAtNanos = now + (learner != null ? learner.onPreempted(now) : SPIN_BACKOFF_NANOS);
            }
            final long idle = now - idleSinceNanos;
            spun = false;
            if (adaptive && now - spinAgainAtNanos < 0)
            {
                park(sequence, cursor, barrier, now);
            }
            else if (idle < episodeSpinNanos)
            {
                Thread.onSpinWait();
                spun = true;
            }
            else if (idle < episodeYieldEndNanos)
            {
                Thread.yield();
                spun = true;
            }
            else if (inWindow(now))
            {
                Thread.onSpinWait();
                cadenceSpins++;
                spun = true;
            }
            else if (windowStartNanos != CadenceLearner.NONE && now - windowStartNanos < 0)
            {
                parkUntil(sequence, cursor, barrier, now, windowStartNanos);
            }
            else
            {
                park(sequence, cursor, barrier, now);
            }
            previous = now;
            now = System.nanoTime();
        }
        if (inWindow(now))
        {
            windowCatches++;
        }
        endEpisode(now);
        return available;
    }

    private void endEpisode(final long now)
    {
        if (learner != null)
        {
            learner.onIdleEnded(now - idleSinceNanos);
        }
        if (cadence != null)
        {
            cadence.onArrival(now);
        }
        idleSinceNanos = NOT_IDLE;
        windowStartNanos = CadenceLearner.NONE;
        windowEndNanos = CadenceLearner.NONE;
    }

    /** @return true inside the learned cadence's window: the next message is due about now */
    private boolean inWindow(final long now)
    {
        return windowStartNanos != CadenceLearner.NONE && now - windowStartNanos >= 0 && now - windowEndNanos < 0;
    }

    private void park(final long sequence, final Sequence cursor, final SequenceBarrier barrier, final long now)
    {
        parkUntil(sequence, cursor, barrier, now, now + maxParkNanos);
    }

    private void parkUntil(final long sequence, final Sequence cursor, final SequenceBarrier barrier, final long now, final long deadlineNanos)
    {
        if (waiter == null)
        {
            waiter = Thread.currentThread();
            if (cadence != null)
            {
                ThreadTimerSlack.set(CADENCE_TIMER_SLACK_NANOS);
            }
        }
        PARKED_STATE.setVolatile(this, PARKED);
        // Sequence.get() is only an acquire load: without this fence it could be ordered before the store above.
        VarHandle.fullFence();
        if (cursor.get() < sequence && !barrier.isAlerted())
        {
            final long untilTick = tickNanos > 0 ? nextTickNanos - now : maxParkNanos;
            LockSupport.parkNanos(this, Math.max(1, Math.min(Math.min(maxParkNanos, deadlineNanos - now), untilTick)));
        }
        PARKED_STATE.setOpaque(this, RUNNING);
    }

    @Override
    public void signalAllWhenBlocking()
    {
        if ((int)PARKED_STATE.getVolatile(this) == PARKED && PARKED_STATE.compareAndSet(this, PARKED, RUNNING))
        {
            LockSupport.unpark(waiter);
        }
    }

    /** @return true while the consumer is parked (or about to park); for tests and diagnostics. */
    public boolean isParked()
    {
        return (int)PARKED_STATE.getVolatile(this) == PARKED;
    }

    /** @return the spin length the current or next idle episode uses (the learned one with a learned spin); diagnostics */
    public long episodeSpinNanos()
    {
        return episodeSpinNanos;
    }

    /** @return how many spin iterations ran inside learned-cadence windows (single writer; racy read for diagnostics) */
    public long cadenceSpins()
    {
        return cadenceSpins;
    }

    /**
     * @return how many messages the consumer saw inside a cadence window, on its timed wake-up or while spinning
     * (single writer; racy read for diagnostics)
     */
    public long windowCatches()
    {
        return windowCatches;
    }

    /** @return how many idle ticks were skipped because a message was due (single writer; racy read for diagnostics) */
    public long skippedTicks()
    {
        return skippedTicks;
    }

    /** @return true while the learned cadence predicts the next message (racy read; tests and diagnostics) */
    public boolean cadenceRegular()
    {
        return cadence != null && cadence.regular();
    }

    @Override
    public String toString()
    {
        return "PhasedWaitStrategy{spinNanos=" + spinNanos + ", yieldEndNanos=" + yieldEndNanos + ", maxParkNanos=" + maxParkNanos
            + ", tickNanos=" + tickNanos + ", adaptive=" + adaptive + ", learnSpin=" + (learner != null) + ", cadence=" + (cadence != null) + '}';
    }
}
