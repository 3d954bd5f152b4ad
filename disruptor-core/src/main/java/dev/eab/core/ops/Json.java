package dev.eab.core.ops;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The project's one JSON writer (results files, the demo summary, the scanner's cold-path config):
 * maps (insertion order kept), lists, strings, numbers, booleans and null, either pretty-printed with
 * two-space indentation ({@link #write}) or on one line ({@link #compact}). Non-finite doubles become null.
 * Not for the hot path.
 */
public final class Json
{
    private Json()
    {
    }

    /** @return {@code value} pretty-printed, with a trailing newline. */
    public static String write(final Object value)
    {
        final StringBuilder sb = new StringBuilder();
        write(sb, value, 0, true);
        return sb.append('\n').toString();
    }

    /** @return {@code value} on one line, no spaces, no trailing newline. */
    public static String compact(final Object value)
    {
        final StringBuilder sb = new StringBuilder();
        write(sb, value, 0, false);
        return sb.toString();
    }

    private static void write(final StringBuilder sb, final Object v, final int indent, final boolean pretty)
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
            sb.append(pretty ? "{\n" : "{");
            int i = 0;
            for (final Map.Entry<?, ?> e : m.entrySet())
            {
                pad(sb, indent + 1, pretty);
                string(sb, String.valueOf(e.getKey()));
                sb.append(pretty ? ": " : ":");
                write(sb, e.getValue(), indent + 1, pretty);
                sb.append(++i < m.size() ? (pretty ? ",\n" : ",") : (pretty ? "\n" : ""));
            }
            pad(sb, indent, pretty);
            sb.append('}');
        }
        else if (v instanceof List<?> l)
        {
            if (l.isEmpty())
            {
                sb.append("[]");
                return;
            }
            sb.append(pretty ? "[\n" : "[");
            for (int i = 0; i < l.size(); i++)
            {
                pad(sb, indent + 1, pretty);
                write(sb, l.get(i), indent + 1, pretty);
                sb.append(i + 1 < l.size() ? (pretty ? ",\n" : ",") : (pretty ? "\n" : ""));
            }
            pad(sb, indent, pretty);
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

    private static void pad(final StringBuilder sb, final int indent, final boolean pretty)
    {
        if (pretty)
        {
            sb.append("  ".repeat(indent));
        }
    }

    /** Appends a JSON string literal (RFC 8259): quote, backslash and control characters escaped. */
    public static void string(final StringBuilder sb, final String s)
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
