package dev.eab.core.ops;

import dev.eab.api.BusConfiguration;
import dev.eab.api.NativeMode;
import dev.eab.core.ffi.NativeLibrary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Says which validator, content scanner and idle strategy a bus built from {@link BusConfiguration#fromEnvironment(Map)}
 * ended up with, and why: the variable that set it, the default, or the fallback because the native library did not
 * load. Used by the commands that start a bus ({@code ./eab demo}, {@code ./eab serve}) to print it before they run.
 * Pure: the environment and the {@code eab.native} property come in as arguments, the bus's choices as names.
 */
public final class ConfigurationSources
{
    private static final String NATIVE_VARIABLE = "EAB_NATIVE";
    private static final String USE_RUST_VARIABLE = "USE_RUST";
    private static final String IDLE_VARIABLE = "EAB_IDLE_STRATEGY";
    private static final String SCANNING_VARIABLE = "EAB_CONTENT_SCANNING";

    private ConfigurationSources()
    {
    }

    /**
     * @return where the native mode came from, in the order {@link BusConfiguration#fromEnvironment(Map)} applies them:
     *     {@code EAB_NATIVE=...}, {@code USE_RUST=...} (when false), {@code -Deab.native=...}, or {@code default}.
     */
    public static String nativeMode(final Map<String, String> env, final String nativeProperty)
    {
        if (env.get(NATIVE_VARIABLE) != null)
        {
            return NATIVE_VARIABLE + "=" + env.get(NATIVE_VARIABLE);
        }
        if (env.get(USE_RUST_VARIABLE) != null && !BusConfiguration.parseBoolean(USE_RUST_VARIABLE, env.get(USE_RUST_VARIABLE)))
        {
            return USE_RUST_VARIABLE + "=" + env.get(USE_RUST_VARIABLE);
        }
        return nativeProperty != null ? "-Deab.native=" + nativeProperty : "default";
    }

    /** @return {@code EAB_CONTENT_SCANNING=...} when set, else {@code default}. */
    public static String contentScanning(final Map<String, String> env)
    {
        return env.get(SCANNING_VARIABLE) != null ? SCANNING_VARIABLE + "=" + env.get(SCANNING_VARIABLE) : "default";
    }

    /** @return {@code EAB_IDLE_STRATEGY=...} when set, else the library's default. */
    public static String idleStrategy(final Map<String, String> env)
    {
        return env.get(IDLE_VARIABLE) != null ? IDLE_VARIABLE + "=" + env.get(IDLE_VARIABLE) : "the library's default";
    }

    /**
     * @param nativeSource  {@link #nativeMode}'s answer.
     * @param validator     the validator the bus ended up with ({@code native} or {@code java}).
     * @param nativeFailure why the native library did not load, or null when it did (or was not asked for).
     */
    public static String validatorReason(
        final BusConfiguration config, final String nativeSource, final String validator, final String nativeFailure)
    {
        final String mode = "native mode " + lower(config.nativeMode()) + " (" + nativeSource + ")";
        if (config.nativeMode() == NativeMode.OFF || "native".equals(validator))
        {
            return validator + ": " + mode;
        }
        return validator + ": " + mode + ", but the native library is unavailable: " + nativeFailure;
    }

    /**
     * @param scanningSource {@link #contentScanning}'s answer.
     * @param scanner        the content scanner the bus ended up with ({@code native} or {@code java}), or null when off.
     * @param validator      the validator the bus ended up with.
     */
    public static String scannerReason(final BusConfiguration config, final String scanningSource, final String scanner, final String validator)
    {
        if (!config.contentScanning())
        {
            return "off: content scanning off (" + scanningSource + ")";
        }
        return scanner + ": content scanning on (" + scanningSource + "), " +
            ("native".equals(scanner) ? "Rust like the validator" : "native".equals(validator) ? "the Rust scanner did not load" : "Java like the validator");
    }

    /** @return the three lines (validator, content scanner, idle strategy) for a bus configured from {@code env} alone. */
    public static List<String> describe(
        final BusConfiguration config, final Map<String, String> env, final String nativeProperty,
        final String validator, final String nativeFailure, final String scanner)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("validator       " + validatorReason(config, nativeMode(env, nativeProperty), validator, nativeFailure));
        lines.add("content scanner " + scannerReason(config, contentScanning(env), scanner, validator));
        lines.add("idle strategy   " + lower(config.idleStrategy()) + ": " + idleStrategy(env));
        return lines;
    }

    /** @return why the native library did not load, or null (it loaded, or native mode is off). */
    public static String nativeFailure(final BusConfiguration config)
    {
        if (config.nativeMode() == NativeMode.OFF)
        {
            return null;
        }
        try
        {
            NativeLibrary.load();
            return null;
        }
        catch (final RuntimeException e)
        {
            return e.getMessage();
        }
    }

    private static String lower(final Enum<?> e)
    {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
