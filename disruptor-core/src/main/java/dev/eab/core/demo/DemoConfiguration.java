package dev.eab.core.demo;

import dev.eab.api.BusConfiguration;
import dev.eab.api.IdleStrategy;
import dev.eab.api.JournalRollCycle;
import dev.eab.api.NativeMode;
import dev.eab.api.RateLimit;
import dev.eab.core.ops.ConfigurationSources;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's bus configuration and why each choice was made. It starts from the environment
 * ({@link BusConfiguration#fromEnvironment(Map)}, so every variable in the README's table works for the demo
 * as for any bus), then applies the demo's own adjustments, each of which gives way to the variable that sets
 * the same option. Pure: the environment and the {@code eab.native} property come in as arguments, so tests
 * can run this step with any environment.
 */
final class DemoConfiguration
{
    /** The tenant whose agent floods in the demo's flood step. */
    static final String FLOOD_TENANT = "initech-bots";
    /** Its per-agent limit, 500 msg/s in bursts of 200, so that the flood meets it (a per-tenant limit wins over EAB_RATE_LIMIT). */
    static final RateLimit FLOOD_LIMIT = new RateLimit(500, 200);
    /**
     * The demo's bus-thread wait when {@code EAB_IDLE_STRATEGY} is unset: the demo keeps the bus busy, and its paced
     * run measures latency the way the benchmarks do (a yielding consumer answers within a scheduler yield, where
     * BACKOFF's parking costs tens of µs after each idle gap).
     */
    static final IdleStrategy IDLE_STRATEGY = IdleStrategy.YIELDING;

    /**
     * The demo journal's roll cycle when {@code EAB_JOURNAL_ROLL_CYCLE} is unset. Chronicle's ten-minutely cycle has
     * secondary index arrays of 2,048 entries every 256 documents (524,288 documents each) against the daily
     * default's 4,096 (1,048,576). The first time the appender starts a new array after C2 compiled it, the
     * compiled code meets a branch its profile never saw, deoptimises and is recompiled (~100–200 ms of JIT CPU,
     * the appender interpreted meanwhile). With the daily cycle the demo reached that first crossing inside its
     * measured window (paced p99 ~3 ms in 5 of 5 runs, stop 9); with this one it falls in the burst or warm-up,
     * where the warm-up's "JIT settled" check waits it out. A long-running bus pays it once, whichever cycle.
     */
    static final JournalRollCycle ROLL_CYCLE = JournalRollCycle.TEN_MINUTELY;

    private static final String IDLE_VARIABLE = "EAB_IDLE_STRATEGY";
    private static final String JOURNAL_VARIABLE = "EAB_JOURNAL_DIR";
    private static final String ROLL_CYCLE_VARIABLE = "EAB_JOURNAL_ROLL_CYCLE";

    private final BusConfiguration config;
    private final String nativeModeSource;
    private final String idleSource;
    private final String scanningSource;
    private final String journalSource;
    private final String rollCycleSource;

    private DemoConfiguration(final BusConfiguration config, final String nativeModeSource, final String idleSource, final String scanningSource,
        final String journalSource, final String rollCycleSource)
    {
        this.journalSource = journalSource;
        this.rollCycleSource = rollCycleSource;
        this.config = config;
        this.nativeModeSource = nativeModeSource;
        this.idleSource = idleSource;
        this.scanningSource = scanningSource;
    }

    /** @return the demo's configuration for this process's environment and {@code -Deab.native}. */
    static DemoConfiguration fromProcess()
    {
        return from(System.getenv(), System.getProperty("eab.native"));
    }

    /**
     * @param environment the variables (as {@link System#getenv()}).
     * @param nativeProperty the value of {@code -Deab.native}, or null when not set; it sets the native mode unless
     *     {@code EAB_NATIVE} or {@code USE_RUST=false} does, as in {@link BusConfiguration#fromEnvironment}.
     * @throws dev.eab.api.exception.ConfigurationException for a malformed variable, naming it.
     */
    static DemoConfiguration from(final Map<String, String> environment, final String nativeProperty)
    {
        final BusConfiguration fromEnvironment = BusConfiguration.fromEnvironment(environment);
        final BusConfiguration.Builder b = fromEnvironment.toBuilder().tenantRateLimit(FLOOD_TENANT, FLOOD_LIMIT);
        final String nativeModeSource = nativeModeSource(environment, nativeProperty);
        if (nativeModeSource.startsWith("-D"))
        {
            // What the builder's default read from the process; given explicitly here, so this step stays pure.
            b.nativeMode(NativeMode.parse(nativeProperty));
        }
        final String idleSource;
        if (set(environment, IDLE_VARIABLE))
        {
            idleSource = IDLE_VARIABLE + "=" + environment.get(IDLE_VARIABLE);
        }
        else
        {
            b.idleStrategy(IDLE_STRATEGY);
            idleSource = "the demo's choice for its latency run; " + IDLE_VARIABLE + " overrides";
        }
        final String journalSource;
        if (set(environment, JOURNAL_VARIABLE))
        {
            journalSource = JOURNAL_VARIABLE + "=" + environment.get(JOURNAL_VARIABLE);
        }
        else
        {
            // On by default (issue 9), with the journal's pretoucher keeping the pages ahead of the tail touched.
            b.journalDir(DurabilityDemoStep.DEFAULT_JOURNAL_DIR);
            journalSource = "the demo's default, cleaned at start; " + JOURNAL_VARIABLE + "=<dir>|off overrides";
        }
        final String rollCycleSource;
        if (set(environment, ROLL_CYCLE_VARIABLE))
        {
            rollCycleSource = ROLL_CYCLE_VARIABLE + "=" + environment.get(ROLL_CYCLE_VARIABLE);
        }
        else
        {
            b.journalOptions(fromEnvironment.journalOptions().withRollCycle(ROLL_CYCLE));
            rollCycleSource = "the demo's choice (its first index-array crossing falls in the warm-up, not the measured run); "
                + ROLL_CYCLE_VARIABLE + " overrides";
        }
        return new DemoConfiguration(b.build(), nativeModeSource, idleSource,
            ConfigurationSources.contentScanning(environment), journalSource, rollCycleSource);
    }

    /** @return where the native mode came from, in the order {@link BusConfiguration#fromEnvironment} applies them. */
    private static String nativeModeSource(final Map<String, String> env, final String nativeProperty)
    {
        return ConfigurationSources.nativeMode(env, nativeProperty);
    }

    private static boolean set(final Map<String, String> env, final String key)
    {
        return env.get(key) != null;
    }

    BusConfiguration bus()
    {
        return config;
    }

    /**
     * @param validator     the validator the bus ended up with ({@code native} or {@code java}).
     * @param nativeFailure why the native library did not load, or null when it did (or was not asked for).
     */
    String validatorReason(final String validator, final String nativeFailure)
    {
        return ConfigurationSources.validatorReason(config, nativeModeSource, validator, nativeFailure);
    }

    /** @param scanner the content scanner the bus ended up with ({@code native} or {@code java}), or null when off. */
    String scannerReason(final String scanner, final String validator)
    {
        return ConfigurationSources.scannerReason(config, scanningSource, scanner, validator);
    }

    String idleReason()
    {
        return lower(config.idleStrategy()) + ": " + idleSource;
    }

    String journalReason()
    {
        return (config.journalDir() == null ? "off" : config.journalDir().toString()) + ": " + journalSource;
    }

    String rollCycleReason()
    {
        return lower(config.journalOptions().rollCycle()) + ": " + rollCycleSource;
    }


    /** @return the lines the demo prints before it starts: what it runs on, and why. */
    List<String> describe(final String validator, final String nativeFailure, final String scanner)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("configuration: the environment (BusConfiguration.fromEnvironment), then the demo's adjustments");
        lines.add("  validator       " + validatorReason(validator, nativeFailure));
        lines.add("  content scanner " + scannerReason(scanner, validator));
        lines.add("  idle strategy   " + idleReason());
        lines.add("  journal         " + journalReason());
        if (config.journalDir() != null)
        {
            lines.add("  roll cycle      " + rollCycleReason());
        }
        lines.add("  rate limit      " + FLOOD_TENANT + " " + FLOOD_LIMIT.messagesPerSecond() + "/s, burst " + FLOOD_LIMIT.burst() +
            " (the demo's flood step); others " + (config.rateLimit().unlimited() ? "unlimited" : config.rateLimit().messagesPerSecond() + "/s"));
        return lines;
    }

    private static String lower(final Enum<?> e)
    {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
