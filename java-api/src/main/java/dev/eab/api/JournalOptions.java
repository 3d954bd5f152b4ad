package dev.eab.api;

import dev.eab.api.exception.ConfigurationException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the write-ahead journal writes and keeps its files (used when {@link BusConfiguration#journalDir()} is set).
 *
 * @param flush       when records are forced to disk ({@link JournalFlush#PAGE_CACHE} by default).
 * @param rollCycle   how often a new cycle file starts ({@link JournalRollCycle#DAILY} by default).
 * @param retentionMs how long whole cycle files are kept after their cycle ended; 0 keeps everything (the
 *                    default). A cycle file holding a message not yet acknowledged (or the start of its run) is never deleted.
 * @param pretouch    keep the pages ahead of the queue's tail mapped and touched from a background thread, so
 *                    the bus thread does not take the first-touch page faults (on by default).
 */
public record JournalOptions(JournalFlush flush, JournalRollCycle rollCycle, long retentionMs, boolean pretouch)
{
    /** The defaults: page cache, daily cycles, keep everything, pretoucher on. */
    public static final JournalOptions DEFAULTS = new JournalOptions(JournalFlush.PAGE_CACHE, JournalRollCycle.DAILY, 0L, true);

    /** @throws ConfigurationException naming the invalid option. */
    public JournalOptions
    {
        if (flush == null)
        {
            throw new ConfigurationException("journal_flush", "must not be null");
        }
        if (rollCycle == null)
        {
            throw new ConfigurationException("journal_roll_cycle", "must not be null");
        }
        if (retentionMs < 0)
        {
            throw new ConfigurationException("journal_retention_ms", "must be >= 0 (0 keeps everything), got " + retentionMs);
        }
    }

    public JournalOptions withFlush(final JournalFlush v) { return new JournalOptions(v, rollCycle, retentionMs, pretouch); }
    public JournalOptions withRollCycle(final JournalRollCycle v) { return new JournalOptions(flush, v, retentionMs, pretouch); }
    public JournalOptions withRetentionMs(final long v) { return new JournalOptions(flush, rollCycle, v, pretouch); }
    public JournalOptions withPretouch(final boolean v) { return new JournalOptions(flush, rollCycle, retentionMs, v); }

    /**
     * Reads {@code EAB_JOURNAL_FLUSH} (page_cache|sync_per_batch), {@code EAB_JOURNAL_ROLL_CYCLE} (a
     * {@link JournalRollCycle} name), {@code EAB_JOURNAL_RETENTION} (milliseconds, or a number with
     * ms/s/m/h/d, e.g. {@code 7d}; 0 keeps everything) and {@code EAB_JOURNAL_PRETOUCH} (a boolean) over {@code base}.
     *
     * @throws ConfigurationException naming the variable on a bad value.
     */
    public static JournalOptions fromEnvironment(final Map<String, String> env, final JournalOptions base)
    {
        JournalOptions o = base;
        if (env.containsKey("EAB_JOURNAL_FLUSH"))
        {
            o = o.withFlush(parse("EAB_JOURNAL_FLUSH", env.get("EAB_JOURNAL_FLUSH"), JournalFlush.class));
        }
        if (env.containsKey("EAB_JOURNAL_ROLL_CYCLE"))
        {
            o = o.withRollCycle(parse("EAB_JOURNAL_ROLL_CYCLE", env.get("EAB_JOURNAL_ROLL_CYCLE"), JournalRollCycle.class));
        }
        if (env.containsKey("EAB_JOURNAL_RETENTION"))
        {
            o = o.withRetentionMs(parseDurationMs("EAB_JOURNAL_RETENTION", env.get("EAB_JOURNAL_RETENTION")));
        }
        if (env.containsKey("EAB_JOURNAL_PRETOUCH"))
        {
            o = o.withPretouch(BusConfiguration.parseBoolean("EAB_JOURNAL_PRETOUCH", env.get("EAB_JOURNAL_PRETOUCH")));
        }
        return o;
    }

    /** @return milliseconds from {@code 1500}, {@code 1500ms}, {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}. */
    public static long parseDurationMs(final String key, final String value)
    {
        final String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try
        {
            if (v.endsWith("ms"))
            {
                return Long.parseLong(v.substring(0, v.length() - 2));
            }
            final long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1))
            {
                case 's' -> 1_000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> 0L;
            };
            return unit == 0 ? Long.parseLong(v) : Math.multiplyExact(Long.parseLong(v.substring(0, v.length() - 1)), unit);
        }
        catch (final NumberFormatException | ArithmeticException e)
        {
            throw new ConfigurationException(key, "not a duration: '" + value + "' (milliseconds, or a number with ms/s/m/h/d, e.g. 7d)");
        }
    }

    private static <E extends Enum<E>> E parse(final String key, final String value, final Class<E> type)
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

    /** @return the options under their snake_case names. */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("flush", flush.name().toLowerCase(Locale.ROOT));
        m.put("roll_cycle", rollCycle.name().toLowerCase(Locale.ROOT));
        m.put("retention_ms", retentionMs);
        m.put("pretouch", pretouch);
        return m;
    }
}
