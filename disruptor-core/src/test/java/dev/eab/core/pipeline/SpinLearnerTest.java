package dev.eab.core.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link SpinLearner}'s decisions, fed idle gaps directly (no clock, no threads). */
class SpinLearnerTest
{
    private static final long CAP_NANOS = 20_000;

    @Test
    void startsParkedAndSpinsOnceMostGapsAreShort()
    {
        final SpinLearner learner = new SpinLearner(CAP_NANOS);
        assertEquals(0, learner.spinNanos(), "no history: park at once (the safe choice on a shared host)");
        int episodes = 0;
        while (learner.spinNanos() == 0)
        {
            learner.onIdleEnded(9_000);
            episodes++;
            assertTrue(episodes < 20, "a steady stream earns the spin within a few messages");
        }
        assertEquals(CAP_NANOS, learner.spinNanos());
        assertTrue(episodes >= 4, "one short gap is not a stream: " + episodes);
    }

    @Test
    void aStreamThatTurnsSporadicStopsSpinning()
    {
        final SpinLearner learner = new SpinLearner(CAP_NANOS);
        for (int i = 0; i < 100; i++)
        {
            learner.onIdleEnded(5_000);
        }
        assertEquals(CAP_NANOS, learner.spinNanos());
        int episodes = 0;
        while (learner.spinNanos() != 0)
        {
            learner.onIdleEnded(10_000_000);
            episodes++;
            assertTrue(episodes < 20, "sporadic gaps take the spin away within a few messages");
        }
        for (int i = 0; i < 1_000; i++)
        {
            learner.onIdleEnded(1_000_000);
        }
        assertEquals(0, learner.score(), "the score decays to zero, not to a rounding floor");
    }

    @Test
    void aGapIncludingAWakeUpStillCountsAsShort()
    {
        final SpinLearner learner = new SpinLearner(CAP_NANOS);
        assertEquals(2 * CAP_NANOS, learner.shortGapNanos());
        for (int i = 0; i < 50; i++)
        {
            learner.onIdleEnded(2 * CAP_NANOS);
        }
        assertEquals(CAP_NANOS, learner.spinNanos(), "a 10 µs gap plus a VM wake-up is still a steady stream");
        for (int i = 0; i < 50; i++)
        {
            learner.onIdleEnded(2 * CAP_NANOS + 1);
        }
        assertEquals(0, learner.spinNanos());
    }

    @Test
    void mixedGapsSpinOnlyWhileMostAreShort()
    {
        final SpinLearner learner = new SpinLearner(CAP_NANOS);
        // One short gap in four: never enough.
        for (int i = 0; i < 400; i++)
        {
            learner.onIdleEnded(i % 4 == 0 ? 1_000 : 1_000_000);
            assertEquals(0, learner.spinNanos(), "episode " + i);
        }
        // Three short gaps in four: spins once the history has turned.
        for (int i = 0; i < 400; i++)
        {
            learner.onIdleEnded(i % 4 == 0 ? 1_000_000 : 1_000);
        }
        assertEquals(CAP_NANOS, learner.spinNanos());
    }

    @Test
    void preemptionsInQuickSuccessionDoubleTheNoSpinPeriodAndAQuietSpellResetsIt()
    {
        final SpinLearner learner = new SpinLearner(CAP_NANOS);
        final long min = SpinLearner.MIN_BACKOFF_NANOS;
        long now = 1_000_000_000L;
        assertEquals(min, learner.onPreempted(now));
        // Preempted again right after each no-spin period: a busy host.
        now += min + 1;
        assertEquals(2 * min, learner.onPreempted(now));
        now += 2 * min + 1;
        assertEquals(4 * min, learner.onPreempted(now));
        long last = 0;
        for (int i = 0; i < 20; i++)
        {
            now += last + 1;
            last = learner.onPreempted(now);
        }
        assertEquals(SpinLearner.MAX_BACKOFF_NANOS, last, "bounded: a busy host is re-tried about once a second and a half");
        // Thousands of spins that paid in between change nothing (at 100k msg/s they happen on a busy host too).
        for (int i = 0; i < 10_000; i++)
        {
            learner.onIdleEnded(1_000);
        }
        assertEquals(SpinLearner.MAX_BACKOFF_NANOS, learner.backoffNanos());
        // A preemption long after the previous one (more than QUIET_FACTOR periods): the host went quiet.
        now += SpinLearner.QUIET_FACTOR * SpinLearner.MAX_BACKOFF_NANOS + 1;
        assertEquals(min, learner.onPreempted(now), "a quiet spell starts the back-off again from the minimum");
        now += SpinLearner.QUIET_FACTOR * min;
        assertEquals(2 * min, learner.onPreempted(now), "within QUIET_FACTOR periods still counts as recent");
    }

    @Test
    void rejectsAZeroCap()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpinLearner(0));
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(0, 0, 1, 0, true, true));
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(PhasedWaitStrategy.FOREVER, 0, 1, 0, true, true));
    }
}
