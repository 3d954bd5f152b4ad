package dev.eab.bench;

import dev.eab.api.NativeMode;

import java.util.Arrays;
import java.util.List;

/** The series the open-loop benchmark knows, by their result names. */
public enum Series
{
    /** The bus as shipped: Rust validator and Rust content scanner, stage timing sampled. */
    EAB_NATIVE("eab-native", true),
    /** eab-native with content scanning off: what the guardrail scan costs, in the same run. */
    EAB_NATIVE_NOSCAN("eab-native-noscan", true),
    /** eab-native while an agent of another tenant floods at 200k msg/s against its 1,000 msg/s limit. */
    EAB_NATIVE_FLOOD("eab-native-flood", false),
    /** The Java fallback: Java validator and Java content scanner. */
    EAB_JAVA("eab-java", true),
    BASELINE_ABQ("baseline-abq", true),
    BASELINE_DISRUPTOR("baseline-disruptor", true);

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
            case EAB_NATIVE -> new EabSeries(NativeMode.REQUIRED, true, true, sink);
            case EAB_NATIVE_NOSCAN -> new EabSeries(NativeMode.REQUIRED, true, false, sink);
            case EAB_NATIVE_FLOOD -> new EabSeries(NativeMode.REQUIRED, true, true, true, sink);
            case EAB_JAVA -> new EabSeries(NativeMode.OFF, true, true, sink);
            case BASELINE_ABQ -> new AbqBaseline(sink);
            case BASELINE_DISRUPTOR -> new DisruptorBaseline(sink);
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
