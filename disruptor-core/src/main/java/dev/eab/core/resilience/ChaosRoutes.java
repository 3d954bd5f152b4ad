package dev.eab.core.resilience;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import dev.eab.api.exception.AgentBusException;
import dev.eab.api.exception.BusOperationException;
import dev.eab.api.exception.ConstitutionalHashMismatchException;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.OpsServer;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The authenticated admin endpoints of the chaos engine on the {@link OpsServer} (every request needs a bearer token
 * with the {@value BearerAuth#ADMIN_ROLE} role, verified by {@link BearerAuth}: 401/403 otherwise):
 * <ul>
 *   <li>{@code GET /admin/chaos}: health, breakers, active scenarios, chaos and recovery counters, the bus's message
 *       counters and the drill traffic's;</li>
 *   <li>{@code GET /admin/chaos/drills}: the named drills;</li>
 *   <li>{@code POST /admin/chaos/drills/<drill>?duration=S&traffic=N&<param>=<value>}: starts a drill (and N probe
 *       messages a second for its duration, 0 for none);</li>
 *   <li>{@code POST /admin/chaos/scenarios} with a JSON scenario ({@code name, type, target, delay_ms, error_rate,
 *       resource_level, duration_s, blast_radius, other_side, constitutional_hash}): activates it;</li>
 *   <li>{@code DELETE /admin/chaos/scenarios/<name>}: ends it; {@code POST /admin/chaos/emergency-stop};
 *       {@code POST /admin/chaos/reset}.</li>
 * </ul>
 * Refusals: 400 for a bad scenario or drill (the engine's text), 409 for a duplicate name or during an emergency stop,
 * 404 for an unknown scenario.
 */
public final class ChaosRoutes
{
    /** Where the routes live. */
    public static final String PREFIX = "/admin/chaos";

    private final EnhancedAgentBus bus;
    private final BearerAuth auth;
    private final DrillTraffic traffic;

    public ChaosRoutes(final EnhancedAgentBus bus, final BearerAuth auth)
    {
        this.bus = bus;
        this.auth = auth;
        this.traffic = new DrillTraffic(bus);
    }

    /** Registers the routes on {@code server} (before it starts). */
    public ChaosRoutes register(final OpsServer server)
    {
        server.route(PREFIX, this::handle);
        return this;
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        if (auth.authenticate(exchange, BearerAuth.ADMIN_ROLE) == null)
        {
            return;
        }
        final String path = exchange.getRequestURI().getPath().substring(PREFIX.length()).replaceAll("/+$", "");
        final String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        try
        {
            if (path.isEmpty())
            {
                if (OpsServer.requireMethod(exchange, "GET"))
                {
                    OpsServer.sendJson(exchange, 200, status());
                }
            }
            else if (path.equals("/drills") && method.equals("GET"))
            {
                OpsServer.sendJson(exchange, 200, Map.of("drills", ChaosDrills.descriptions()));
            }
            else if (path.startsWith("/drills/"))
            {
                if (OpsServer.requireMethod(exchange, "POST"))
                {
                    startDrill(exchange, path.substring("/drills/".length()));
                }
            }
            else if (path.equals("/scenarios"))
            {
                if (OpsServer.requireMethod(exchange, "POST"))
                {
                    activate(exchange);
                }
            }
            else if (path.startsWith("/scenarios/"))
            {
                if (OpsServer.requireMethod(exchange, "DELETE"))
                {
                    final String name = URLDecoder.decode(path.substring("/scenarios/".length()), StandardCharsets.UTF_8);
                    if (bus.chaos().deactivate(name))
                    {
                        OpsServer.sendJson(exchange, 200, Map.of("ended", name, "active", bus.chaos().active()));
                    }
                    else
                    {
                        OpsServer.sendError(exchange, 404, "not_found", "no active chaos scenario '" + name + "'");
                    }
                }
            }
            else if (path.equals("/emergency-stop"))
            {
                if (OpsServer.requireMethod(exchange, "POST"))
                {
                    bus.chaos().emergencyStop();
                    traffic.stop();
                    OpsServer.sendJson(exchange, 200, status());
                }
            }
            else if (path.equals("/reset"))
            {
                if (OpsServer.requireMethod(exchange, "POST"))
                {
                    bus.chaos().reset();
                    OpsServer.sendJson(exchange, 200, status());
                }
            }
            else
            {
                OpsServer.sendError(exchange, 404, "not_found", "no chaos endpoint " + exchange.getRequestURI().getPath());
            }
        }
        catch (final ConstitutionalHashMismatchException | IllegalArgumentException e)
        {
            OpsServer.sendError(exchange, 400, "invalid_scenario", e.getMessage());
        }
        catch (final BusOperationException e)
        {
            OpsServer.sendError(exchange, 409, "conflict", e.getMessage());
        }
        catch (final AgentBusException e)
        {
            OpsServer.sendError(exchange, 409, bus.chaos().isEmergencyStopped() ? "emergency_stop" : "refused", e.getMessage());
        }
    }

    private void startDrill(final HttpExchange exchange, final String drill) throws IOException
    {
        final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        final double durationS = number(query.remove("duration"), ChaosDrills.DEFAULT_DURATION_S, "duration");
        final int perSecond = (int)number(query.remove("traffic"), 0, "traffic");
        if (perSecond < 0 || perSecond > 100_000)
        {
            throw new IllegalArgumentException("traffic must be 0..100000 messages a second, not " + perSecond);
        }
        final List<ChaosScenario> scenarios = ChaosDrills.scenarios(drill, durationS, query);
        if (perSecond > 0)
        {
            // Started first, so an inbox drill can find the probe receiver.
            traffic.start(perSecond, (long)(Math.min(durationS, ChaosScenario.MAX_DURATION_S) * 1000));
        }
        final List<Object> activated = new ArrayList<>();
        try
        {
            for (final ChaosScenario s : scenarios)
            {
                activated.add(bus.chaos().activate(s));
            }
        }
        catch (final RuntimeException e)
        {
            traffic.stop();
            throw e;
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("drill", drill);
        body.put("description", ChaosDrills.descriptions().get(drill));
        body.put("scenarios", activated);
        body.put("traffic_per_second", perSecond);
        body.put("status", status());
        OpsServer.sendJson(exchange, 200, body);
    }

    private void activate(final HttpExchange exchange) throws IOException
    {
        final Map<String, Object> spec;
        try
        {
            spec = JSONObjectUtils.parse(OpsServer.readBody(exchange));
        }
        catch (final ParseException e)
        {
            throw new IllegalArgumentException("the body must be a JSON object: " + e.getMessage());
        }
        final ChaosType type;
        try
        {
            type = ChaosType.valueOf(string(spec, "type", "").toUpperCase(java.util.Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("type must be one of " + List.of(ChaosType.values()));
        }
        final ChaosScenario.Builder b = ChaosScenario.builder(string(spec, "name", null), type, string(spec, "target", null))
            .delayMs((long)number(spec.get("delay_ms"), 0, "delay_ms"))
            .errorRate(number(spec.get("error_rate"), 0, "error_rate"))
            .resourceLevel(number(spec.get("resource_level"), 0, "resource_level"))
            .durationS(number(spec.get("duration_s"), ChaosScenario.DEFAULT_DURATION_S, "duration_s"))
            .blastRadius(strings(spec.get("blast_radius")))
            .otherSide(strings(spec.get("other_side")));
        if (spec.get("constitutional_hash") != null)
        {
            b.constitutionalHash(String.valueOf(spec.get("constitutional_hash")));
        }
        if (spec.get("memory_budget_bytes") != null)
        {
            b.memoryBudgetBytes((long)number(spec.get("memory_budget_bytes"), 0, "memory_budget_bytes"));
        }
        OpsServer.sendJson(exchange, 200, Map.of("activated", bus.chaos().activate(b.build()), "active", bus.chaos().active()));
    }

    /** @return what the bus is doing: health, breakers, chaos, recovery, message counters and drill traffic */
    public Map<String, Object> status()
    {
        final Map<String, Object> m = new LinkedHashMap<>(bus.resilience().snapshot());
        final Map<String, Object> metrics = bus.metrics().snapshot();
        final Map<String, Object> counters = new LinkedHashMap<>();
        for (final String k : List.of("processed", "delivered", "rejected_total", "rejected", "handler_failed", "backpressure_rejected",
            "pipeline_failures"))
        {
            counters.put(k, metrics.get(k));
        }
        counters.put("validator", bus.validator().name());
        counters.put("scanner", bus.contentScanner() == null ? "off" : bus.contentScanner().name());
        m.put("bus", counters);
        m.put("drill_traffic", traffic.counters());
        return m;
    }

    private static Map<String, String> query(final String raw)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty())
        {
            return out;
        }
        for (final String pair : raw.split("&"))
        {
            final int eq = pair.indexOf('=');
            final String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            final String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static double number(final Object v, final double dflt, final String name)
    {
        if (v == null)
        {
            return dflt;
        }
        if (v instanceof Number n)
        {
            return n.doubleValue();
        }
        try
        {
            return Double.parseDouble(String.valueOf(v));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException(name + " must be a number, not '" + v + "'");
        }
    }

    private static String string(final Map<String, Object> spec, final String key, final String dflt)
    {
        final Object v = spec.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    private static Set<String> strings(final Object v)
    {
        final Set<String> out = new LinkedHashSet<>();
        if (v instanceof Collection<?> c)
        {
            for (final Object o : c)
            {
                out.add(String.valueOf(o));
            }
        }
        else if (v != null)
        {
            out.add(String.valueOf(v));
        }
        return out;
    }
}
