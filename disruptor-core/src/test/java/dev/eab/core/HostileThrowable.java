package dev.eab.core;

import java.io.PrintStream;
import java.io.PrintWriter;

/** Test fixture: a throwable that throws from every method a formatter, a logger or the bus could call on it. */
public final class HostileThrowable extends RuntimeException
{
    @Override public String getMessage() { throw new IllegalStateException("getMessage"); }
    @Override public String getLocalizedMessage() { throw new IllegalStateException("getLocalizedMessage"); }
    @Override public String toString() { throw new IllegalStateException("toString"); }
    @Override public synchronized Throwable getCause() { throw new IllegalStateException("getCause"); }
    @Override public StackTraceElement[] getStackTrace() { throw new IllegalStateException("getStackTrace"); }
    @Override public void printStackTrace() { throw new IllegalStateException("printStackTrace"); }
    @Override public void printStackTrace(final PrintStream s) { throw new IllegalStateException("printStackTrace"); }
    @Override public void printStackTrace(final PrintWriter s) { throw new IllegalStateException("printStackTrace"); }
    @Override public synchronized Throwable fillInStackTrace() { return this; }

    /** An Error with the same hostility, for paths that treat Errors apart. */
    static final class HostileError extends Error
    {
        @Override public String getMessage() { throw new IllegalStateException("getMessage"); }
        @Override public String toString() { throw new IllegalStateException("toString"); }
        @Override public StackTraceElement[] getStackTrace() { throw new IllegalStateException("getStackTrace"); }
    }
}
