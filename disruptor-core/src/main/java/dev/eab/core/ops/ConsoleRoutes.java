package dev.eab.core.ops;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The review console: one page ({@code /console/}) with its script and style, served from the classpath
 * ({@code console/} in the core jar), plain HTML + JS with no build step. The page itself calls the
 * {@link DeliberationRoutes} endpoints with the reviewer's bearer token, which it asks for once and keeps in
 * {@code sessionStorage}; the files here are public (they hold no data).
 *
 * <p>Only the files listed in {@link #FILES} are served, so no request path ever reaches the class loader. Every
 * response carries a Content-Security-Policy that allows scripts and styles from this origin only (no inline
 * script, no {@code eval}), so even a rendering mistake could not run a held message's hostile content; the page
 * builds its DOM with {@code textContent}, never {@code innerHTML}.
 */
public final class ConsoleRoutes
{
    /** The path prefix of the console. */
    public static final String PREFIX = "/console";
    /** The files served, by name under {@code /console/}, with their content types. */
    public static final Map<String, String> FILES = Map.of(
        "index.html", "text/html; charset=utf-8",
        "console.js", "text/javascript; charset=utf-8",
        "console.css", "text/css; charset=utf-8");
    /** The policy sent with every console response. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String RESOURCE_DIR = "/console/";
    private final Map<String, byte[]> bodies;

    /** Loads the console's files from the classpath once. */
    public ConsoleRoutes()
    {
        final java.util.HashMap<String, byte[]> loaded = new java.util.HashMap<>();
        for (final String name : FILES.keySet())
        {
            try (InputStream in = ConsoleRoutes.class.getResourceAsStream(RESOURCE_DIR + name))
            {
                if (in == null)
                {
                    throw new IllegalStateException("console resource missing from the classpath: " + RESOURCE_DIR + name);
                }
                loaded.put(name, in.readAllBytes());
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
        this.bodies = Map.copyOf(loaded);
    }

    /** Registers the console on {@code server} (before it starts). */
    public void register(final OpsServer server)
    {
        server.route(PREFIX, this::handle);
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        if (PREFIX.equals(path))
        {
            exchange.getResponseHeaders().set("Location", PREFIX + "/");
            OpsServer.send(exchange, 301, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        if (!path.startsWith(PREFIX + "/"))
        {
            OpsServer.sendError(exchange, 404, "not_found", "no such page");
            return;
        }
        final String name = path.length() == PREFIX.length() + 1 ? "index.html" : path.substring(PREFIX.length() + 1);
        final byte[] body = bodies.get(name);
        if (body == null)
        {
            OpsServer.sendError(exchange, 404, "not_found", "no such console file");
            return;
        }
        if (!OpsServer.requireMethod(exchange, "GET"))
        {
            return;
        }
        exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        OpsServer.send(exchange, 200, FILES.get(name), body);
    }
}
