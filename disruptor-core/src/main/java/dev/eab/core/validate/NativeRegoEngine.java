package dev.eab.core.validate;

import dev.eab.core.ffi.NativeUnavailableException;
import dev.eab.core.ffi.RegoBindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One {@code regorus} engine in native memory ({@code eab_rego_*}): policies and data go in on the cold path,
 * then {@link #decide} answers per message from a compact input ({@link RegoInputDescriptor}) written into an
 * off-heap segment by the caller.
 *
 * <p>Single-thread ownership: the Rust engine evaluates through {@code &mut self} and is not {@code Sync}, so one
 * thread at a time. {@link RegoBundle} builds it on the loading thread and hands it to the bus thread through an
 * {@code AtomicReference} (a happens-before edge); from then on only the bus thread calls it, and the bus thread
 * closes it when the next bundle replaces it. Other callers ({@link #evalJson}, tests, the demo) use an engine
 * they own, or lock around a shared one.
 */
public final class NativeRegoEngine implements AutoCloseable
{
    /** {@code eab_rego_decide}: the rule evaluated to true. */
    public static final int ALLOW = 1;
    /** {@code eab_rego_decide}: the rule evaluated to false or was undefined. */
    public static final int DENY = 0;
    /** {@code EAB_ERR_REGO_POLICY}: a file or the data did not load, or the rule cannot be prepared. */
    public static final int ERR_POLICY = -5;
    /** {@code EAB_ERR_REGO_EVAL}: evaluation failed (builtin error, time budget). */
    public static final int ERR_EVAL = -6;
    /** {@code EAB_ERR_REGO_NOT_BOOLEAN}: the rule's value is not a boolean. */
    public static final int ERR_NOT_BOOLEAN = -7;
    /** {@code EAB_ERR_REGO_INPUT}: the compact input is malformed. */
    public static final int ERR_INPUT = -8;
    /** {@code EAB_ERR_BUFFER_TOO_SMALL}. */
    public static final int ERR_BUFFER_TOO_SMALL = -4;
    /** A downcall threw (Java side): the engine's result is unknown. */
    public static final int ERR_DOWNCALL = -100;
    private static final int ERROR_TEXT_BYTES = 4096;

    private MemorySegment engine;

    /** @return true when the library loads and the Rego functions bind; never throws. */
    public static boolean available()
    {
        try
        {
            // Touching RegoBindings runs its static initialiser here, inside the try.
            return RegoBindings.DECIDE != null;
        }
        catch (final Throwable t)
        {
            return false;
        }
    }

    /**
     * @throws NativeUnavailableException when the library or its Rego functions cannot be bound.
     */
    public NativeRegoEngine()
    {
        if (!available())
        {
            throw new NativeUnavailableException("the Rego functions (eab_rego_*) cannot be bound", null);
        }
        try
        {
            engine = (MemorySegment)RegoBindings.NEW.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException("eab_rego_new failed: " + t, t);
        }
        if (engine.equals(MemorySegment.NULL))
        {
            throw new NativeUnavailableException("eab_rego_new returned NULL (a panic in Rust)", null);
        }
    }

    /**
     * Adds one policy file.
     *
     * @return null when it loaded, else the engine's error text ({@code --> name:LINE:COL} and the message).
     */
    public String addPolicy(final String name, final String text)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment n = utf8(arena, name);
            final MemorySegment t = utf8(arena, text);
            final MemorySegment err = arena.allocate(ERROR_TEXT_BYTES);
            final MemorySegment errLen = arena.allocate(ValueLayout.JAVA_LONG);
            final int code = (int)RegoBindings.ADD_POLICY.invokeExact(live(), n, n.byteSize(), t, t.byteSize(), err, err.byteSize(), errLen);
            return code == 0 ? null : errorText(code, err, errLen);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("eab_rego_add_policy", t);
        }
    }

    /** Merges a JSON data document. @return null when it loaded, else the error text. */
    public String addData(final String json)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment j = utf8(arena, json);
            final MemorySegment err = arena.allocate(ERROR_TEXT_BYTES);
            final MemorySegment errLen = arena.allocate(ValueLayout.JAVA_LONG);
            final int code = (int)RegoBindings.ADD_DATA.invokeExact(live(), j, j.byteSize(), err, err.byteSize(), errLen);
            return code == 0 ? null : errorText(code, err, errLen);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("eab_rego_add_data", t);
        }
    }

    /** Fixes the rule to query and evaluates it once. @return null when it prepared, else the error text. */
    public String prepare(final String rule)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment r = utf8(arena, rule);
            final MemorySegment err = arena.allocate(ERROR_TEXT_BYTES);
            final MemorySegment errLen = arena.allocate(ValueLayout.JAVA_LONG);
            final int code = (int)RegoBindings.PREPARE.invokeExact(live(), r, r.byteSize(), err, err.byteSize(), errLen);
            return code == 0 ? null : errorText(code, err, errLen);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("eab_rego_prepare", t);
        }
    }

    /**
     * The per-message call. Allocates nothing in Java.
     *
     * @param input  the compact input ({@link RegoInputDescriptor}), off-heap.
     * @param length its length in bytes.
     * @return {@link #ALLOW}, {@link #DENY}, or a negative error ({@link #ERR_DOWNCALL} when the downcall threw,
     *     or after {@link #close()}).
     */
    public int decide(final MemorySegment input, final long length)
    {
        final MemorySegment e = engine;
        if (e == null)
        {
            return ERR_DOWNCALL;
        }
        try
        {
            return (int)RegoBindings.DECIDE.invokeExact(e, input, length);
        }
        catch (final Throwable t)
        {
            return ERR_DOWNCALL;
        }
    }

    /**
     * Cold path: evaluates the prepared rule with a JSON input.
     *
     * @return the result as JSON ({@code true}, {@code false}, {@code "undefined"}, any value).
     * @throws dev.eab.api.exception.PolicyEvaluationException when evaluation fails.
     */
    public String evalJson(final String rule, final String inputJson)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment in = utf8(arena, inputJson);
            MemorySegment out = arena.allocate(ERROR_TEXT_BYTES);
            final MemorySegment outLen = arena.allocate(ValueLayout.JAVA_LONG);
            int code = (int)RegoBindings.EVAL_JSON.invokeExact(live(), in, in.byteSize(), out, out.byteSize(), outLen);
            if (code == ERR_BUFFER_TOO_SMALL)
            {
                out = arena.allocate(outLen.get(ValueLayout.JAVA_LONG, 0));
                code = (int)RegoBindings.EVAL_JSON.invokeExact(live(), in, in.byteSize(), out, out.byteSize(), outLen);
            }
            final String text = text(out, outLen);
            if (code != 0)
            {
                throw new dev.eab.api.exception.PolicyEvaluationException(rule, text);
            }
            return text;
        }
        catch (final dev.eab.api.exception.PolicyEvaluationException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw downcallFailed("eab_rego_eval_json", t);
        }
    }

    /**
     * How Rust reads a compact input: the JSON object the policy would see.
     *
     * @throws IllegalArgumentException when Rust finds it malformed (with its reason).
     */
    public static String inputJson(final MemorySegment input, final long length)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(ERROR_TEXT_BYTES * 4L);
            final MemorySegment outLen = arena.allocate(ValueLayout.JAVA_LONG);
            final int code = (int)RegoBindings.INPUT_JSON.invokeExact(input, length, out, out.byteSize(), outLen);
            final String text = text(out, outLen);
            if (code != 0)
            {
                throw new IllegalArgumentException("eab_rego_input_json returned " + code + ": " + text);
            }
            return text;
        }
        catch (final IllegalArgumentException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw downcallFailed("eab_rego_input_json", t);
        }
    }

    /** Frees the native engine; later calls fail ({@link #decide} returns {@link #ERR_DOWNCALL}). Idempotent. */
    @Override
    public void close()
    {
        final MemorySegment e = engine;
        engine = null;
        if (e != null)
        {
            try
            {
                RegoBindings.FREE.invokeExact(e);
            }
            catch (final Throwable t)
            {
                throw downcallFailed("eab_rego_free", t);
            }
        }
    }

    private MemorySegment live()
    {
        final MemorySegment e = engine;
        if (e == null)
        {
            throw new IllegalStateException("Rego engine already closed");
        }
        return e;
    }

    private static MemorySegment utf8(final Arena arena, final String s)
    {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        final MemorySegment m = arena.allocate(Math.max(1, b.length));
        MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
        return m.asSlice(0, b.length);
    }

    private static String errorText(final int code, final MemorySegment err, final MemorySegment errLen)
    {
        final String text = text(err, errLen);
        return text.isEmpty() ? "native error " + code : text;
    }

    private static String text(final MemorySegment buf, final MemorySegment len)
    {
        final long n = Math.min(len.get(ValueLayout.JAVA_LONG, 0), buf.byteSize());
        final byte[] b = new byte[(int)n];
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static NativeUnavailableException downcallFailed(final String fn, final Throwable t)
    {
        return t instanceof NativeUnavailableException n ? n : new NativeUnavailableException(fn + " failed: " + t, t);
    }
}
