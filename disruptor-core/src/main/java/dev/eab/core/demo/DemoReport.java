package dev.eab.core.demo;

import dev.eab.core.ops.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's human-readable table and its one-line JSON summary.
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
        return Json.compact(json);
    }
}
