package dev.eab.core.pipeline;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** {@link CadenceLearner}: predicts only a regular sender's next arrival, and only inside the gaps it is for. */
class CadenceLearnerTest
{
    private static final long LEAD_NANOS = 20_000;

    @Test
    void aSteadySenderIsPredictedAfterEnoughGaps()
    {
        final CadenceLearner c = new CadenceLearner(LEAD_NANOS);
        long t = 1_000_000_000L;
        assertEquals(CadenceLearner.NONE, c.windowStartNanos(), "nothing seen yet");
        for (int i = 0; i <= CadenceLearner.MIN_SAMPLES; i++)
        {
            assertEquals(CadenceLearner.NONE, c.windowStartNanos(), "not before " + CadenceLearner.MIN_SAMPLES + " gaps (gap " + i + ")");
            c.onArrival(t);
            t += 100_000;
        }
        // 10k msg/s, every gap exactly 100 µs: after MIN_SAMPLES gaps the deviation has decayed below a quarter of the gap.
        for (int i = 0; i < 64; i++)
        {
            c.onArrival(t);
            t += 100_000;
        }
        final long last = t - 100_000;
        assertTrue(c.regular(), "deviation " + c.deviationNanos() + " mean " + c.meanGapNanos());
        assertEquals(100_000, c.meanGapNanos(), 2_000);
        assertEquals(last + c.meanGapNanos() - LEAD_NANOS, c.windowStartNanos());
        assertTrue(c.windowEndNanos() >= last + c.meanGapNanos() + CadenceLearner.MIN_TOLERANCE_NANOS);
    }

    @Test
    void jitterWithinAQuarterOfTheGapKeepsTheCadence()
    {
        final CadenceLearner c = new CadenceLearner(LEAD_NANOS);
        final SplittableRandom random = new SplittableRandom(7);
        long t = 0;
        for (int i = 0; i < 2_000; i++)
        {
            t += 100_000 + random.nextLong(-15_000, 15_000); // wake-up jitter of a parked consumer
            c.onArrival(t);
        }
        assertTrue(c.regular(), "deviation " + c.deviationNanos());
        assertTrue(c.windowEndNanos() - c.windowStartNanos() < 100_000, "the window is shorter than the gap");
    }

    @Test
    void aPoissonSenderNeverGetsTheCadence()
    {
        final CadenceLearner c = new CadenceLearner(LEAD_NANOS);
        final SplittableRandom random = new SplittableRandom(11);
        long t = 0;
        int regular = 0;
        for (int i = 0; i < 20_000; i++)
        {
            t += (long)(-Math.log(1 - random.nextDouble()) * 100_000) + 1; // exponential gaps, mean 100 µs
            c.onArrival(t);
            regular += c.regular() ? 1 : 0;
        }
        // A random sender's gaps deviate by about three quarters of their mean: (almost) never a prediction, so no wasted spin.
        assertTrue(regular < 20, "predicted after " + regular + " of 20,000 Poisson arrivals");
    }

    @Test
    void gapsOutsideTheRangeAreNotPredicted()
    {
        for (final long gap : new long[] {CadenceLearner.MIN_GAP_NANOS / 2, CadenceLearner.MAX_GAP_NANOS * 2})
        {
            final CadenceLearner c = new CadenceLearner(LEAD_NANOS);
            long t = 0;
            for (int i = 0; i < 200; i++)
            {
                t += gap;
                c.onArrival(t);
            }
            assertFalse(c.regular(), "gap " + gap + " ns");
            assertEquals(CadenceLearner.NONE, c.windowStartNanos());
            assertEquals(CadenceLearner.NONE, c.windowEndNanos());
        }
    }

    @Test
    void aSenderThatTurnsIrregularLosesTheCadence()
    {
        final CadenceLearner c = new CadenceLearner(LEAD_NANOS);
        long t = 0;
        for (int i = 0; i < 200; i++)
        {
            t += 1_000_000;
            c.onArrival(t);
        }
        assertTrue(c.regular());
        int i = 0;
        while (c.regular() && i < 64)
        {
            t += (i & 1) == 0 ? 200_000 : 3_000_000;
            c.onArrival(t);
            i++;
        }
        assertFalse(c.regular(), "still predicting after " + i + " irregular gaps");
        assertTrue(i <= 8, "took " + i + " gaps to notice");
    }

    @Test
    void aLargeAbsoluteJitterKeepsTheCadenceOffEvenWhenSmallAgainstTheGap()
    {
        final CadenceLearner c = new CadenceLearner(LEAD_NANOS);
        final SplittableRandom random = new SplittableRandom(3);
        long t = 0;
        int regular = 0;
        for (int i = 0; i < 2_000; i++)
        {
            // 100 msg/s on a loaded host: ±150 µs of jitter is 1.5 % of the gap, but would make a 300 µs spin window.
            t += 10_000_000 + random.nextLong(-150_000, 150_000);
            c.onArrival(t);
            regular += c.regular() ? 1 : 0;
        }
        assertEquals(0, regular, "deviation " + c.deviationNanos());
    }

    @Test
    void rejectsANonPositiveLead()
    {
        assertThrows(IllegalArgumentException.class, () -> new CadenceLearner(0));
    }
}
