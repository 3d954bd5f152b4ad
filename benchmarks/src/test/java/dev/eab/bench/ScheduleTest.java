package dev.eab.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ScheduleTest
{
    @Test
    void intervalIsTheInverseOfTheRate()
    {
        assertEquals(100_000, Schedule.intervalNanos(10_000));
        assertEquals(10_000, Schedule.intervalNanos(100_000));
        assertEquals(0, Schedule.intervalNanos(Schedule.SATURATION));
        assertThrows(IllegalArgumentException.class, () -> Schedule.intervalNanos(-1));
        assertThrows(IllegalArgumentException.class, () -> Schedule.intervalNanos(2_000_000_000L));
    }

    @Test
    void intendedTimesAreFixedAndIndependentOfWhenMessagesWereSent()
    {
        final long start = 1_000_000L;
        final long interval = Schedule.intervalNanos(100_000);
        assertEquals(start, Schedule.intendedNanos(start, 0, interval));
        assertEquals(start + 10_000, Schedule.intendedNanos(start, 1, interval));
        // A sender that is late does not move the schedule: message 500 is still due at start + 5 ms.
        assertEquals(start + 5_000_000, Schedule.intendedNanos(start, 500, interval));
    }

    @Test
    void phaseMessageCountCoversTheDuration()
    {
        assertEquals(100_000, Schedule.messagesInPhase(1_000_000_000L, 10_000));
        assertEquals(3, Schedule.messagesInPhase(25, 10));
    }
}
