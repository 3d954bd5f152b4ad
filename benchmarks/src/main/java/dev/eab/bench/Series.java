package dev.eab.bench;

import dev.eab.api.NativeMode;

import java.util.Arrays;
import java.util.List;

/** The series the open-loop benchmark knows, by their result names. */
public enum Series
{
    EAB_NATIVE("eab-native", true),
    EAB_JAVA("eab-java", true),
    BASELINE_ABQ("baseline-abq", true),
    BASELINE_DISRUPTOR("baseline-disruptor", true),
    /** eab-native with the bus's per-stage latency timing on (for the stageLatencyMetrics comparison); not in the default suite. */
    EAB_NATIVE_TIMED("eab-native-timed", false);

    private final String label;
    private final boolean inDefaultSuite;

    Series(final String label, final boolean inDefaultSuite)
    {
        this.label = label;
        this.inDefaultSuite = inDefaultSuite;
    }

    public String label()
    {
        return label;
    }

    /** @return a new, not yet started, system under test recording into {@code sink}. */
    public SystemUnderTest create(final LatencySink sink)
    {
        return switch (this)
        {
            case EAB_NATIVE -> new EabSeries(NativeMode.REQUIRED, false, sink);
            case EAB_JAVA -> new EabSeries(NativeMode.OFF, false, sink);
            case BASELINE_ABQ -> new AbqBaseline(sink);
            case BASELINE_DISRUPTOR -> new DisruptorBaseline(sink);
            case EAB_NATIVE_TIMED -> new EabSeries(NativeMode.REQUIRED, true, sink);
        };
    }

    /** @return the series for a result name. */
    public static Series byLabel(final String label)
    {
        for (final Series s : values())
        {
            if (s.label.equals(label.trim()))
            {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown series '" + label + "'; known: " + Arrays.stream(values()).map(Series::label).toList());
    }

    /** @return the series run when none is named. */
    public static List<Series> defaultSuite()
    {
        return Arrays.stream(values()).filter(s -> s.inDefaultSuite).toList();
    }
}
