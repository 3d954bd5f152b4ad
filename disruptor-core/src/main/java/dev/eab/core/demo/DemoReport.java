package dev.eab.core.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's human-readable table and its one-line JSON summary. A tiny hand-written JSON writer:
 * the values are numbers, strings and nested maps of those, nothing more.
 */
final class DemoReport
{
    private final List<String[]> rows = new ArrayList<>();
    private final Map<String, Object> json = new LinkedHashMap<>();

    void row(final String what, final String value)
    {
        rows.add(new String[] {what, value});
    }

    void put(final String key, final Object value)
    {
        json.put(key, value);
    }

    String table()
    {
        int w = 0;
        for (final String[] r : rows)
        {
            w = Math.max(w, r[0].length());
        }
        final StringBuilder sb = new StringBuilder();
        final String rule = "-".repeat(w + 2) + "+" + "-".repeat(44) + "\n";
        sb.append(rule);
        for (final String[] r : rows)
        {
            sb.append(' ').append(r[0]).append(" ".repeat(w - r[0].length() + 1)).append("| ").append(r[1]).append('\n');
        }
        sb.append(rule);
        return sb.toString();
    }

    String json()
    {
        return toJson(json);
    }

    static String toJson(final Object v)
    {
        if (v == null)
        {
            return "null";
        }
        if (v instanceof Map<?, ?> m)
        {
            final StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (final Map.Entry<?, ?> e : m.entrySet())
            {
                if (!first)
                {
                    sb.append(',');
                }
                first = false;
                sb.append(quote(String.valueOf(e.getKey()))).append(':').append(toJson(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof Double d)
        {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        if (v instanceof Number || v instanceof Boolean)
        {
            return v.toString();
        }
        return quote(v.toString());
    }

    private static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
