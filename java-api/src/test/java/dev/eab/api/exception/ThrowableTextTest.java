package dev.eab.api.exception;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.PrintWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrowableTextTest
{
    /** Throws from every method a formatter or logger could call. */
    static final class Hostile extends RuntimeException
    {
        @Override public String getMessage() { throw new IllegalStateException("getMessage"); }
        @Override public String getLocalizedMessage() { throw new IllegalStateException("getLocalizedMessage"); }
        @Override public String toString() { throw new IllegalStateException("toString"); }
        @Override public synchronized Throwable getCause() { throw new IllegalStateException("getCause"); }
        @Override public StackTraceElement[] getStackTrace() { throw new IllegalStateException("getStackTrace"); }
        @Override public void printStackTrace(final PrintStream s) { throw new IllegalStateException("printStackTrace"); }
        @Override public void printStackTrace(final PrintWriter s) { throw new IllegalStateException("printStackTrace"); }
    }

    /** Throws a StackOverflowError from getMessage. */
    static final class Overflowing extends RuntimeException
    {
        @Override public String getMessage() { return getMessage(); }
    }

    @Test
    void hostileThrowablesNeverEscape()
    {
        final Hostile h = new Hostile();
        assertThrows(IllegalStateException.class, h::toString, "the fixture is really hostile");
        assertEquals("<getMessage() threw java.lang.IllegalStateException>", ThrowableText.message(h));
        assertEquals("Hostile: <getMessage() threw java.lang.IllegalStateException>", ThrowableText.describe(h));
        final String trace = ThrowableText.withStackTrace(h);
        assertTrue(trace.startsWith(Hostile.class.getName()), trace);
        assertTrue(trace.contains("<getStackTrace() threw java.lang.IllegalStateException>"), trace);
        assertEquals("<getMessage() threw java.lang.StackOverflowError>", ThrowableText.message(new Overflowing()));
    }

    @Test
    void ordinaryThrowablesReadAsToStringWould()
    {
        assertEquals("IllegalArgumentException: bad", ThrowableText.describe(new IllegalArgumentException("bad")));
        assertEquals("IllegalStateException", ThrowableText.describe(new IllegalStateException()));
        assertNull(ThrowableText.message(new RuntimeException()));
        assertEquals("null", ThrowableText.describe(null));
        final String trace = ThrowableText.withStackTrace(new RuntimeException("outer", new IllegalStateException("inner")));
        assertTrue(trace.contains("Caused by: java.lang.IllegalStateException: inner"), trace);
        assertTrue(trace.contains("\tat "), trace);
    }

    @Test
    void textsAreBoundedAndCauseCyclesEnd()
    {
        final String huge = "x".repeat(5_000_000);
        final String m = ThrowableText.message(new RuntimeException(huge));
        assertTrue(m.length() < ThrowableText.MAX_MESSAGE_CHARS + 100, "cut to the bound");
        final RuntimeException a = new RuntimeException("a");
        final RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        final String trace = ThrowableText.withStackTrace(a);
        assertEquals(2, trace.split("java.lang.RuntimeException").length - 1, trace);
    }
}
