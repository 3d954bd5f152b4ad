package dev.eab.api;

/**
 * How often the journal starts a new cycle file. Retention deletes whole cycle files, so the cycle is
 * the grain of reclaimed disk space. An existing journal keeps the cycle it was created with (its
 * metadata file says which).
 */
public enum JournalRollCycle
{
    /** One file a second: for tests and drills only (small index: at most ~4 k records a second). */
    SECONDLY(1_000L),
    FIVE_MINUTELY(300_000L),
    TEN_MINUTELY(600_000L),
    TWENTY_MINUTELY(1_200_000L),
    HALF_HOURLY(1_800_000L),
    HOURLY(3_600_000L),
    TWO_HOURLY(7_200_000L),
    FOUR_HOURLY(14_400_000L),
    SIX_HOURLY(21_600_000L),
    /** The default. */
    DAILY(86_400_000L),
    WEEKLY(604_800_000L);

    private final long lengthMs;

    JournalRollCycle(final long lengthMs)
    {
        this.lengthMs = lengthMs;
    }

    /** @return the length of one cycle in milliseconds. */
    public long lengthMs()
    {
        return lengthMs;
    }
}
