package dev.eab.core.ops;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.Map;

/**
 * {@link BearerAuth}'s counts on {@code /metrics}: {@code eab_ops_auth_accepted_total} (tokens accepted) and
 * {@code eab_ops_auth_refused_total{reason}} (refused, by the finer reason: {@code missing_token}, {@code expired},
 * {@code bad_signature}, {@code insufficient_role}, ...), so a dashboard sees who is knocking with what. Built at
 * scrape time from the verifier's own counters on the scraping thread.
 */
public final class AuthCollector implements MultiCollector
{
    private final BearerAuth auth;

    /** @param auth the server's token verifier */
    public AuthCollector(final BearerAuth auth)
    {
        this.auth = java.util.Objects.requireNonNull(auth, "auth");
    }

    @Override
    public MetricSnapshots collect()
    {
        final Map<String, Object> counts = auth.counts();
        final MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(CounterSnapshot.builder().name("eab_ops_auth_accepted").help("Bearer tokens the ops server accepted")
            .dataPoint(CounterDataPointSnapshot.builder().value(((Number)counts.get("accepted")).doubleValue()).build()).build());
        final CounterSnapshot.Builder refused = CounterSnapshot.builder().name("eab_ops_auth_refused")
            .help("Bearer tokens the ops server refused, by reason");
        if (counts.get("refused") instanceof Map<?, ?> byReason)
        {
            byReason.forEach((reason, n) -> refused.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of("reason", String.valueOf(reason))).value(((Number)n).doubleValue()).build()));
        }
        out.metricSnapshot(refused.build());
        return out.build();
    }
}
