package dev.eab.core.pipeline;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Sets the calling thread's timer slack (Linux {@code prctl(PR_SET_TIMERSLACK)}) through the FFM API, so that a
 * timed park wakes when asked instead of up to 50 µs later (the kernel's default slack for ordinary threads, which
 * it uses to batch timer wake-ups). {@link PhasedWaitStrategy} sets it on its consumer thread when it times its
 * own wake-ups to a learned cadence ({@link CadenceLearner}): a 50 µs slack would have to be covered by a 50 µs
 * spin per message.
 *
 * <p>Any thread; one libc call, no allocation after class initialisation. A no-op (returns false) where there is
 * no {@code prctl} (not Linux) or the call fails.
 */
final class ThreadTimerSlack
{
    /** {@code PR_SET_TIMERSLACK} from {@code <linux/prctl.h>}. */
    static final int PR_SET_TIMERSLACK = 29;
    /** {@code PR_GET_TIMERSLACK}. */
    static final int PR_GET_TIMERSLACK = 30;
    private static final MethodHandle PRCTL = find();

    private ThreadTimerSlack()
    {
    }

    private static MethodHandle find()
    {
        try
        {
            final Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("prctl")
                .map(address -> linker.downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1)))
                .orElse(null);
        }
        catch (final RuntimeException | LinkageError e)
        {
            return null; // not Linux, or native access not enabled: timed parks keep the default slack
        }
    }

    /** @return true when {@code prctl} could be linked (initialises this class: call it off the thread that must not stall) */
    static boolean available()
    {
        return PRCTL != null;
    }

    /**
     * @param slackNanos the calling thread's new timer slack (> 0)
     * @return true when the kernel took it
     */
    static boolean set(final long slackNanos)
    {
        if (PRCTL == null || slackNanos <= 0)
        {
            return false;
        }
        try
        {
            return (int)PRCTL.invokeExact(PR_SET_TIMERSLACK, slackNanos) == 0;
        }
        catch (final Throwable t)
        {
            return false;
        }
    }

    /** @return the calling thread's timer slack in ns, or -1 when it cannot be read */
    static long get()
    {
        if (PRCTL == null)
        {
            return -1;
        }
        try
        {
            return (int)PRCTL.invokeExact(PR_GET_TIMERSLACK, 0L);
        }
        catch (final Throwable t)
        {
            return -1;
        }
    }
}
