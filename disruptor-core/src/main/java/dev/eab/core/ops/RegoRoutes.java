package dev.eab.core.ops;

import com.sun.net.httpserver.HttpExchange;
import dev.eab.api.exception.PolicyEvaluationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.validate.RegoPolicyStrategy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Rego endpoints of the ops server: {@code GET /rego} (the bundle the bus decides with, the newest compiled one,
 * and the decision counters) and {@code POST /rego/reload} (recompile the bundle directory now; the bus switches at
 * its next message). Reload is an admin call: it needs a bearer JWT with the {@value BearerAuth#ADMIN_ROLE} role,
 * verified by {@link BearerAuth} like every authenticated route (401/403 otherwise; a server without token keys
 * refuses every request, so an unauthenticated server can never change policy). A bundle that does not compile
 * answers 422 with the file and line, and the running bundle stays.
 */
public final class RegoRoutes
{
    /** The route prefix. */
    public static final String PREFIX = "/rego";

    private final EnhancedAgentBus bus;
    private final BearerAuth auth;

    private RegoRoutes(final EnhancedAgentBus bus, final BearerAuth auth)
    {
        this.bus = bus;
        this.auth = auth;
    }

    /** Adds the routes to {@code server} (before it starts); reload is authenticated by {@code auth} (admin role). */
    public static void register(final OpsServer server, final EnhancedAgentBus bus, final BearerAuth auth)
    {
        final RegoRoutes routes = new RegoRoutes(bus, auth);
        server.route(PREFIX, routes::handle);
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        if (path.equals(PREFIX) || path.equals(PREFIX + "/"))
        {
            if (OpsServer.requireMethod(exchange, "GET"))
            {
                OpsServer.sendJson(exchange, 200, status());
            }
        }
        else if (path.equals(PREFIX + "/reload"))
        {
            if (OpsServer.requireMethod(exchange, "POST"))
            {
                reload(exchange);
            }
        }
        else
        {
            OpsServer.sendError(exchange, 404, "not_found", "no route " + path + " (GET " + PREFIX + ", POST " + PREFIX + "/reload)");
        }
    }

    private Map<String, Object> status()
    {
        final RegoPolicyStrategy rego = bus.rego();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", rego != null);
        if (rego != null)
        {
            m.put("dir", rego.dir().toString());
            m.put("query", rego.query());
            m.put("active_version", rego.activeVersion());
            m.put("latest_version", rego.latestVersion());
            m.put("cache_entries", rego.cacheEntries());
            m.put("constitutional_hash", rego.constitutionalHash());
        }
        m.put("counters", bus.metrics().snapshot().get("rego"));
        return m;
    }

    private void reload(final HttpExchange exchange) throws IOException
    {
        if (auth.authenticate(exchange, BearerAuth.ADMIN_ROLE) == null)
        {
            return;
        }
        if (bus.rego() == null)
        {
            OpsServer.sendError(exchange, 409, "rego_off", "Rego policies are not configured (EAB_REGO_DIR)");
            return;
        }
        try
        {
            final String version = bus.reloadRegoPolicies();
            OpsServer.sendJson(exchange, 200, Map.of("version", version, "note", "the bus switches at its next message"));
        }
        catch (final PolicyEvaluationException e)
        {
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "policy_load_failed");
            body.put("policy_path", e.policyPath());
            body.put("message", ThrowableText.message(e));
            body.put("active_version", bus.rego().activeVersion());
            OpsServer.sendJson(exchange, 422, body);
        }
    }
}
