package dev.eab.core.ops;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every sample line must parse
 * ({@code name{label="value",...} number}), belong to a family declared by a {@code # TYPE} line, and appear once.
 * Samples are keyed by name and their labels sorted, see {@link #key}.
 */
final class PrometheusText
{
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped|info|stateset|unknown)");

    final Map<String, Double> samples = new HashMap<>();
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(final String text)
    {
        final PrometheusText p = new PrometheusText();
        final Set<String> seen = new HashSet<>();
        for (final String line : text.split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            if (line.startsWith("# TYPE "))
            {
                final Matcher m = TYPE.matcher(line);
                assertTrue(m.matches(), "bad TYPE line: " + line);
                p.types.put(m.group(1), m.group(2));
                continue;
            }
            if (line.startsWith("#"))
            {
                assertTrue(line.startsWith("# HELP "), "unknown comment: " + line);
                continue;
            }
            final Matcher m = SAMPLE.matcher(line);
            if (!m.matches())
            {
                fail("not a sample line: '" + line + "'");
            }
            final String name = m.group(1);
            final Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty())
            {
                final Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end)
                {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                assertTrue(end == m.group(3).length(), "bad labels in: " + line);
            }
            assertTrue(p.familyOf(name) != null, "sample without a # TYPE family: " + line);
            final String key = key(name, labels);
            assertTrue(seen.add(key), "duplicate sample: " + line);
            p.samples.put(key, parseValue(m.group(4)));
        }
        return p;
    }

    private String familyOf(final String name)
    {
        for (final String suffix : new String[] {"", "_total", "_bucket", "_count", "_sum", "_created", "_info"})
        {
            if (name.endsWith(suffix))
            {
                final String family = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(family) || types.containsKey(name))
                {
                    return family;
                }
            }
        }
        return null;
    }

    private static double parseValue(final String v)
    {
        return switch (v)
        {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    static String key(final String name, final Map<String, String> labels)
    {
        final StringBuilder sb = new StringBuilder(name);
        if (!labels.isEmpty())
        {
            sb.append('{');
            labels.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
            sb.setLength(sb.length() - 1);
            sb.append('}');
        }
        return sb.toString();
    }

    /** @return the value of {@code name} with labels given as key, value, key, value...; null when absent. */
    Double get(final String name, final String... labels)
    {
        final Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2)
        {
            m.put(labels[i], labels[i + 1]);
        }
        return samples.get(key(name, m));
    }

    /** @return the buckets of a histogram with these labels (besides le), by bound, in order. */
    TreeMap<Double, Double> buckets(final String family, final String... labels)
    {
        final TreeMap<Double, Double> out = new TreeMap<>();
        final String prefix = family + "_bucket";
        for (final Map.Entry<String, Double> e : samples.entrySet())
        {
            if (!e.getKey().startsWith(prefix + "{"))
            {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2)
            {
                match &= e.getKey().contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (match)
            {
                final Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(e.getKey());
                assertTrue(le.find(), e.getKey());
                out.put(parseValue(le.group(1)), e.getValue());
            }
        }
        return out;
    }
}
