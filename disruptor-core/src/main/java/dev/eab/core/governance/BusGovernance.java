package dev.eab.core.governance;

import dev.eab.api.BusConfiguration;
import dev.eab.api.GovernanceSettings;
import dev.eab.api.NativeMode;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.guard.ContentInspector;
import dev.eab.core.registry.AgentRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The bus's governance parts in one place, so the bus wires them with a few lines: the impact scorer (Rust when
 * the validator runs native, the Java twin otherwise), the {@link DeliberationQueue} (always present, so
 * {@code deliberations()} works; it only fills when governance is on) and its {@link DeliberationStore}
 * ({@code governance.storeDir}, else {@code journalDir/deliberations}, else none: held items then live in memory
 * only and do not survive a restart, which the bus logs).
 */
public final class BusGovernance implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(BusGovernance.class.getName());

    private final GovernanceSettings settings;
    private final double defaultThreshold;
    private final ImpactScorer scorer;
    private final DeliberationQueue queue;
    private boolean restored;

    public BusGovernance(final BusConfiguration config, final AgentRegistry registry, final boolean validatorNative)
    {
        this.settings = config.governance();
        this.defaultThreshold = config.impactThreshold();
        this.scorer = settings.enabled() ? scorer(config, validatorNative) : null;
        DeliberationStore store = null;
        if (settings.enabled())
        {
            final Path dir = settings.storeDir() != null ? settings.storeDir()
                : config.journalDir() != null ? config.journalDir().resolve("deliberations") : null;
            store = dir == null ? null : DeliberationStore.open(dir);
            LOG.info("governance: on (scorer " + scorer.name() + ", keywords " + settings.keywordMatching() + ", threshold " + defaultThreshold +
                ", deliberation store " + (dir == null ? "memory only: held items do not survive a restart" : dir.toAbsolutePath()) + ")");
        }
        this.queue = new DeliberationQueue(registry, store, settings.timeoutMs(), Clock.systemUTC());
    }

    private ImpactScorer scorer(final BusConfiguration config, final boolean validatorNative)
    {
        if (config.nativeMode() != NativeMode.OFF && validatorNative)
        {
            try
            {
                return new NativeImpactScorer(config.maxAgents(), settings.keywordMatching());
            }
            catch (final RuntimeException | LinkageError e)
            {
                if (config.nativeMode() == NativeMode.REQUIRED)
                {
                    throw new ConfigurationException("native_mode", "REQUIRED but the native impact scorer is unavailable: " + ThrowableText.message(e));
                }
                LOG.warning("native impact scorer unavailable, using the Java twin: " + ThrowableText.message(e));
            }
        }
        return new JavaImpactScorer(config.maxAgents(), settings.keywordMatching());
    }

    /** @return the pipeline's governance stage for one run of the bus thread (the scorer's state carries over). */
    public GovernanceStage stage(final ContentInspector inspector)
    {
        return scorer == null ? new GovernanceStage() : new GovernanceStage(scorer, queue, inspector, settings, defaultThreshold);
    }

    public DeliberationQueue queue()
    {
        return queue;
    }

    /** The first start only: brings back the undecided items the store holds. */
    public void restoreOnce()
    {
        if (restored)
        {
            return;
        }
        restored = true;
        final List<String> warnings = new ArrayList<>();
        final int n = queue.restore(warnings);
        if (n > 0 || !warnings.isEmpty())
        {
            LOG.info("governance: restored " + n + " undecided deliberation(s)" + (warnings.isEmpty() ? "" : "; " + warnings));
        }
    }

    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", settings.enabled());
        m.put("scorer", scorer == null ? "off" : scorer.name());
        m.put("keyword_matching", settings.keywordMatching().name().toLowerCase(java.util.Locale.ROOT));
        m.putAll(queue.metrics());
        return m;
    }

    @Override
    public void close()
    {
        queue.close();
        if (scorer != null)
        {
            scorer.close();
        }
    }
}
