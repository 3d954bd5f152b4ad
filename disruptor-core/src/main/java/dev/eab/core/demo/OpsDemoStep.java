package dev.eab.core.demo;

import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.OpsEndpoints;
import dev.eab.core.ops.OpsServer;
import dev.eab.core.ops.metering.Metering;
import dev.eab.core.ops.metering.MeteringHooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's ops step, after the traffic: the original's metering hooks for the governance events the demo stands in
 * for (policy evaluations, a deliberation request, a HITL approval), a flush, and the ops endpoints served on an
 * ephemeral loopback port and read back over HTTP ({@code /metrics} parsed for the labelled message counters,
 * {@code /health/ready}). Self-checks: every message the bus processed was metered (queued or dropped, never lost) and
 * the counters scraped over HTTP add up to the messages processed.
 */
final class OpsDemoStep
{
    private static final long WAIT_S = 10;

    private final Map<String, Object> metering = new LinkedHashMap<>();
    private String metricsLine = "";
    private String probeLine = "";

    private OpsDemoStep()
    {
    }

    /** Runs the step against a running bus; self-check failures are added to {@code failures}. */
    static OpsDemoStep run(final EnhancedAgentBus bus, final List<String> failures)
    {
        final OpsDemoStep step = new OpsDemoStep();
        try
        {
            step.runChecked(bus, failures);
        }
        catch (final Exception e)
        {
            failures.add("ops step: " + dev.eab.api.exception.ThrowableText.describe(e));
        }
        return step;
    }

    private void runChecked(final EnhancedAgentBus bus, final List<String> failures) throws Exception
    {
        final Metering m = bus.ops().metering();
        if (m == null)
        {
            metering.put("enabled", false);
            return;
        }
        // The bus meters each message just after its outcome: wait (bounded) until the last one is in.
        final long processed = bus.metrics().processed();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (m.queue().queued() + m.queue().dropped() < processed && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        final long busEvents = m.queue().queued() + m.queue().dropped();
        final MeteringHooks hooks = m.hooks();
        int hookEvents = 0;
        for (int i = 0; i < 10; i++)
        {
            hookEvents += hooks.onPolicyEvaluation("acme-trading", "acme-planner", i % 5 == 0 ? "deny" : "allow", 2_000) ? 1 : 0;
        }
        hookEvents += hooks.onDeliberationRequest("acme-trading", "acme-planner", 0.91) ? 1 : 0;
        hookEvents += hooks.onHitlApproval("acme-trading", "acme-planner", true, 45_000) ? 1 : 0;
        m.flushNow();
        if (busEvents != processed)
        {
            failures.add("metering saw " + busEvents + " bus messages, the bus processed " + processed);
        }
        if (hookEvents != 12)
        {
            failures.add("metering hooks queued " + hookEvents + " of 12 events");
        }
        metering.put("queued", m.queue().queued());
        metering.put("flushed", m.queue().flushed());
        metering.put("dropped", m.queue().dropped());
        try (OpsServer server = new OpsServer("127.0.0.1", 0))
        {
            new OpsEndpoints(bus, bus.health(), () -> bus.deliberations().pending().size()).register(server);
            server.start();
            final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_S)).build();
            final HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
                .timeout(Duration.ofSeconds(WAIT_S)).GET().build(), HttpResponse.BodyHandlers.ofString());
            long counted = 0;
            int series = 0;
            for (final String line : metrics.body().split("\n"))
            {
                if (line.startsWith("eab_messages_total{"))
                {
                    counted += (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    series++;
                }
            }
            if (metrics.statusCode() != 200 || counted != processed)
            {
                failures.add("GET /metrics: HTTP " + metrics.statusCode() + ", eab_messages_total sums to " + counted + ", processed " + processed);
            }
            metricsLine = String.format(Locale.ROOT, "GET /metrics: %,d bytes, eab_messages_total %,d messages in %d series (tenant x type x priority x "
                + "status)", metrics.body().length(), counted, series);
            final HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/ready"))
                .timeout(Duration.ofSeconds(WAIT_S)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() != 200)
            {
                failures.add("GET /health/ready: HTTP " + ready.statusCode() + " " + ready.body());
            }
            probeLine = "GET /health/ready: HTTP " + ready.statusCode() + " " + ready.body().substring(0, Math.min(80, ready.body().length())) + "...";
        }
    }

    /** Adds the step's rows and its {@code "metering"} summary key. */
    void addTo(final DemoReport report)
    {
        if (metering.containsKey("queued"))
        {
            report.row("metering", String.format(Locale.ROOT, "%,d events queued, %,d flushed, %,d dropped (per-tenant usage; hooks: policy, "
                + "deliberation, HITL)", (Long)metering.get("queued"), (Long)metering.get("flushed"), (Long)metering.get("dropped")));
            report.row("metrics", metricsLine);
            report.row("health probe", probeLine);
        }
        report.put("metering", metering);
    }
}
