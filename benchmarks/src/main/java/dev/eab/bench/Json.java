package dev.eab.bench;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the results file: maps (insertion order kept), lists, strings, numbers,
 * booleans and null, pretty-printed with two-space indentation. Non-finite doubles become null.
 */
public final class Json
{
    private Json()
    {
    }

    public static String write(final Object value)
    {
        final StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(final StringBuilder sb, final Object v, final int indent)
    {
        if (v == null)
        {
            sb.append("null");
        }
        else if (v instanceof String s)
        {
            string(sb, s);
        }
        else if (v instanceof Boolean b)
        {
            sb.append(b.booleanValue());
        }
        else if (v instanceof Double || v instanceof Float)
        {
            number(sb, ((Number)v).doubleValue());
        }
        else if (v instanceof Number n)
        {
            sb.append(n.longValue());
        }
        else if (v instanceof Map<?, ?> m)
        {
            if (m.isEmpty())
            {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (final Map.Entry<?, ?> e : m.entrySet())
            {
                pad(sb, indent + 1);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + 1);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append('}');
        }
        else if (v instanceof List<?> l)
        {
            if (l.isEmpty())
            {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++)
            {
                pad(sb, indent + 1);
                write(sb, l.get(i), indent + 1);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append(']');
        }
        else
        {
            string(sb, v.toString());
        }
    }

    private static void number(final StringBuilder sb, final double d)
    {
        if (!Double.isFinite(d))
        {
            sb.append("null");
            return;
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15)
        {
            sb.append((long)d);
            return;
        }
        sb.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
    }

    private static void pad(final StringBuilder sb, final int indent)
    {
        sb.append("  ".repeat(indent));
    }

    static void string(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
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
        sb.append('"');
    }

    /** @return {@code v} rounded to {@code decimals} places (for readable numbers in the file). */
    public static double round(final double v, final int decimals)
    {
        if (!Double.isFinite(v))
        {
            return v;
        }
        return BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
