package dev.eab.api.exception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Root of every exception thrown by the Enhanced Agent Bus (mirrors {@code AgentBusError}).
 *
 * <p>All bus exceptions are unchecked and extend this class, so callers can catch every bus failure
 * with one clause. It is thrown directly only for failures that fit no more specific subclass.
 *
 * <p>Each exception carries a message, an unmodifiable insertion-ordered {@link #details() details} map
 * (snake_case keys, as in the original) and the constitutional hash in force; {@link #toMap()} gives the
 * serialisable form used for logging.
 */
public class AgentBusException extends RuntimeException
{
    private static final String CONSTITUTIONAL_HASH = "cdd01ef066bc6cf2";

    /** The constitutional hash used when none is given: {@value}. */
    public static final String DEFAULT_CONSTITUTIONAL_HASH = CONSTITUTIONAL_HASH;

    private static final int HASH_VISIBLE_CHARS = 8;

    private final Map<String, Object> details;
    private final String constitutionalHash;

    /**
     * Creates an exception with no details and the default constitutional hash.
     *
     * @param message the message.
     */
    public AgentBusException(final String message)
    {
        this(message, null, DEFAULT_CONSTITUTIONAL_HASH, null);
    }

    /**
     * Creates an exception with the default constitutional hash.
     *
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public AgentBusException(final String message, final Map<String, Object> details)
    {
        this(message, details, DEFAULT_CONSTITUTIONAL_HASH, null);
    }

    /**
     * Creates an exception.
     *
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means {@link #DEFAULT_CONSTITUTIONAL_HASH}.
     */
    public AgentBusException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        this(message, details, constitutionalHash, null);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means {@link #DEFAULT_CONSTITUTIONAL_HASH}.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public AgentBusException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, cause);
        this.details = details == null || details.isEmpty()
            ? Collections.emptyMap()
            : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        this.constitutionalHash = constitutionalHash == null ? DEFAULT_CONSTITUTIONAL_HASH : constitutionalHash;
    }

    /** @return the details, unmodifiable, insertion-ordered, never {@code null}; values may be {@code null}. */
    public Map<String, Object> details()
    {
        return details;
    }

    /** @return the constitutional hash in force when this was thrown. */
    public String constitutionalHash()
    {
        return constitutionalHash;
    }

    /** @return the simple class name, e.g. {@code "BusNotStartedException"}. */
    public String errorType()
    {
        return getClass().getSimpleName();
    }

    /**
     * The serialisable form, for logging (mirrors {@code to_dict}).
     *
     * @return a fresh insertion-ordered map with exactly the keys {@code error_type}, {@code message},
     *     {@code details} and {@code constitutional_hash}, in that order.
     */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("error_type", errorType());
        map.put("message", getMessage());
        map.put("details", details);
        map.put("constitutional_hash", constitutionalHash);
        return map;
    }

    /**
     * Shortens a hash for safe display: the first 8 characters followed by {@code "..."} when longer
     * than 8 characters, the hash itself when 8 or fewer, {@code "None"} when {@code null}.
     *
     * @param hash the hash, may be {@code null}.
     * @return the sanitised form, never {@code null}.
     */
    public static String sanitizeHash(final String hash)
    {
        if (hash == null)
        {
            return "None";
        }
        return hash.length() > HASH_VISIBLE_CHARS ? hash.substring(0, HASH_VISIBLE_CHARS) + "..." : hash;
    }

    // ---- helpers for the subclasses (all in this package) ----

    /** Builds an insertion-ordered details map from alternating keys and values (values may be null). */
    static Map<String, Object> detailsOf(final Object... keysAndValues)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Unmodifiable copy of a list; {@code null} gives an empty list; null elements are kept. */
    static List<String> copyOf(final List<String> list)
    {
        return list == null || list.isEmpty()
            ? Collections.emptyList()
            : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** Python truthiness for an optional string: non-null and non-empty. */
    static boolean present(final String text)
    {
        return text != null && !text.isEmpty();
    }
}
