package dev.eab.api;

/** Whether validation uses the Rust library ({@code -Deab.native=auto|required|off}). */
public enum NativeMode
{
    /** Use native when it loads; fall back to the Java twin otherwise. */
    AUTO,
    /** Fail start-up when the native library cannot be loaded. */
    REQUIRED,
    /** Java twin only. */
    OFF;

    /** Parses auto/required/off, case-insensitively. */
    public static NativeMode parse(final String text)
    {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
