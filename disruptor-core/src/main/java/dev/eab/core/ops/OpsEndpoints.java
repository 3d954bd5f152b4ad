package dev.eab.core.ops;

import com.sun.net.httpserver.HttpExchange;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.resilience.HealthSnapshot;
import dev.eab.core.resilience.HealthSource;
import dev.eab.core.resilience.HealthStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The metrics and health routes of the ops server (DESIGN.md §9):
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format 0.0.4: the bus ({@link BusCollector}) and the JVM.</li>
 *   <li>{@code GET /health/live}: 200 while the bus thread is alive (or the bus was never started); 503 once it died.</li>
 *   <li>{@code GET /health/startup}: 200 once the bus has started and its journal replay finished; 503 before.</li>
 *   <li>{@code GET /health/ready}: 200 when running, replay finished, policy loaded and health not CRITICAL; else 503
 *       with every reason.</li>
 *   <li>{@code GET /metering}: the metering counters and per-tenant usage as JSON.</li>
 * </ul>
 * Probe bodies are JSON: {@code status}, {@code score}, {@code health}, the degraded and critical services and, on a
 * 503, {@code reasons}. Every handler runs on the server's threads, never on the bus thread.
 */
public final class OpsEndpoints
{
    private final EnhancedAgentBus bus;
    private final HealthSource health;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /**
     * @param health               where health comes from (the bus's health aggregator, {@code bus.health()})
     * @param deliberationsPending see {@link BusCollector}; {@code () -> -1} without a deliberation layer
     */
    public OpsEndpoints(final EnhancedAgentBus bus, final HealthSource health, final IntSupplier deliberationsPending)
    {
        this.bus = bus;
        this.health = health;
        registry.register(new BusCollector(bus, health, deliberationsPending));
        JvmMetrics.builder().register(registry);
    }

    /** Adds another layer's metrics to {@code /metrics} (e.g. {@link AuthCollector}). @return this */
    public OpsEndpoints collect(final io.prometheus.metrics.model.registry.MultiCollector collector)
    {
        registry.register(collector);
        return this;
    }

    /** Registers the routes on {@code server} (before it starts). */
    public OpsEndpoints register(final OpsServer server)
    {
        server.route("/metrics", this::metrics);
        server.route("/health", this::health);
        server.route("/metering", this::metering);
        return this;
    }

    /** @return the current exposition, as {@code GET /metrics} serves it. */
    public String scrape() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void metrics(final HttpExchange exchange) throws IOException
    {
        if (!exactPath(exchange, "/metrics") || !OpsServer.requireMethod(exchange, "GET"))
        {
            return;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        OpsServer.send(exchange, 200, writer.getContentType(), out.toByteArray());
    }

    private void metering(final HttpExchange exchange) throws IOException
    {
        if (!exactPath(exchange, "/metering") || !OpsServer.requireMethod(exchange, "GET"))
        {
            return;
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        final var metering = bus.ops().metering();
        if (metering == null)
        {
            body.put("enabled", false);
        }
        else
        {
            body.putAll(metering.metrics());
            body.put("by_tenant", metering.usage().snapshot());
        }
        body.put("tenant_budgets", budgets());
        OpsServer.sendJson(exchange, 200, body);
    }

    private Map<String, Object> budgets()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        bus.ops().budgets().all().forEach((tenant, b) -> m.put(tenant, Map.of("messages", b.messages(), "window_seconds", b.windowSeconds())));
        return m;
    }

    private void health(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        final String probe = path.startsWith("/health/") ? path.substring("/health/".length()) : "";
        if (!probe.equals("live") && !probe.equals("ready") && !probe.equals("startup"))
        {
            OpsServer.sendError(exchange, 404, "not_found", "no probe at " + path + "; use /health/live, /health/ready or /health/startup");
            return;
        }
        if (!OpsServer.requireMethod(exchange, "GET"))
        {
            return;
        }
        final ProbeResult r = switch (probe)
        {
            case "live" -> live();
            case "startup" -> startup();
            default -> ready();
        };
        OpsServer.sendJson(exchange, r.ok() ? 200 : 503, r.body());
    }

    /** @return the liveness verdict and its body. */
    public ProbeResult live()
    {
        final List<String> reasons = new ArrayList<>();
        final String failure = bus.failure();
        if (failure != null)
        {
            reasons.add(failure);
        }
        return result("live", reasons, health.health());
    }

    /** @return the startup verdict and its body. */
    public ProbeResult startup()
    {
        final List<String> reasons = new ArrayList<>();
        if (!bus.journalReplayFinished())
        {
            reasons.add("starting: the bus has not started or its journal replay has not finished");
        }
        return result("startup", reasons, health.health());
    }

    /** @return the readiness verdict and its body. */
    public ProbeResult ready()
    {
        final List<String> reasons = new ArrayList<>();
        if (!bus.isRunning())
        {
            reasons.add(bus.failure() != null ? bus.failure() : "the bus is not running");
        }
        if (!bus.journalReplayFinished())
        {
            reasons.add("the journal replay has not finished");
        }
        if (bus.policy() == null || bus.policy().version() == null)
        {
            reasons.add("no policy loaded");
        }
        final HealthSnapshot h = health.health();
        if (h.status() == HealthStatus.CRITICAL)
        {
            reasons.add("health is CRITICAL (score " + Json.round(h.score(), 3) + "); critical services: " + h.criticalServices());
        }
        return result("ready", reasons, h);
    }

    private ProbeResult result(final String probe, final List<String> reasons, final HealthSnapshot h)
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("probe", probe);
        body.put("status", reasons.isEmpty() ? "ok" : "fail");
        body.put("health", h.status().name());
        body.put("score", Json.round(h.score(), 3));
        body.put("degraded_services", h.degradedServices());
        body.put("critical_services", h.criticalServices());
        body.put("breakers", h.breakerStates());
        if (!reasons.isEmpty())
        {
            body.put("reasons", List.copyOf(reasons));
        }
        body.put("constitutional_hash", bus.configuration().constitutionalHash());
        return new ProbeResult(reasons.isEmpty(), body);
    }

    private static boolean exactPath(final HttpExchange exchange, final String path) throws IOException
    {
        if (exchange.getRequestURI().getPath().equals(path))
        {
            return true;
        }
        OpsServer.sendError(exchange, 404, "not_found", "no route at " + exchange.getRequestURI().getPath());
        return false;
    }

    /**
     * One probe's verdict.
     *
     * @param ok   200 (true) or 503
     * @param body the JSON body
     */
    public record ProbeResult(boolean ok, Map<String, Object> body)
    {
    }
}
