package dev.eab.core.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The engine's one HTTP server (DESIGN.md §9): metrics, health probes, the deliberation endpoints, the
 * review console and admin endpoints are routes registered on it by the packages that own them. The library
 * never starts one unless asked ({@code ./eab serve} or an embedding application).
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} (a real HTTP/1.1 server over real sockets, no extra
 * dependency), served by a small pool of virtual threads so a slow client never holds up a probe. It never runs
 * on a bus-owned thread. Routes are registered before {@link #start()}; the longest matching prefix wins
 * (the JDK's own contexts rule). A route that throws gets a 500 with a JSON error, never a dropped connection.
 */
public final class OpsServer implements AutoCloseable
{
    /** The default port of {@code ./eab serve}. */
    public static final int DEFAULT_PORT = 8080;
    /** Largest request body read, bytes: the API takes small JSON objects only. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final int STOP_DELAY_S = 1;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private boolean started;

    /**
     * Binds (but does not start) a server.
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1} (loopback only) or {@code 0.0.0.0}
     * @param port the port, 0 for an ephemeral one (see {@link #port()})
     */
    public OpsServer(final String host, final int port) throws IOException
    {
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        this.server.setExecutor(executor);
    }

    /**
     * Serves {@code pathPrefix} (and everything under it) with {@code handler}. The handler is wrapped so an
     * exception becomes a 500 JSON error.
     */
    public synchronized OpsServer route(final String pathPrefix, final HttpHandler handler)
    {
        if (started)
        {
            throw new IllegalStateException("routes are registered before start(): " + pathPrefix);
        }
        server.createContext(pathPrefix, exchange -> serve(exchange, handler));
        return this;
    }

    /** Starts serving. */
    public synchronized OpsServer start()
    {
        started = true;
        server.start();
        return this;
    }

    /** @return the bound port (the ephemeral one when constructed with 0). */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /** @return {@code http://host:port} as bound. */
    public String baseUrl()
    {
        final InetSocketAddress address = server.getAddress();
        final String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        return "http://" + host + ":" + address.getPort();
    }

    @Override
    public void close()
    {
        server.stop(STOP_DELAY_S);
        executor.shutdown();
        try
        {
            executor.awaitTermination(STOP_DELAY_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void serve(final HttpExchange exchange, final HttpHandler handler) throws IOException
    {
        try (exchange)
        {
            try
            {
                handler.handle(exchange);
            }
            catch (final RuntimeException | IOException e)
            {
                if (exchange.getResponseCode() == -1)
                {
                    sendError(exchange, 500, "internal_error", dev.eab.api.exception.ThrowableText.describe(e));
                }
            }
        }
    }

    // ---- helpers for routes

    /** Sends {@code body} (maps, lists, strings, numbers: see {@link Json}) as {@code application/json}. */
    public static void sendJson(final HttpExchange exchange, final int status, final Object body) throws IOException
    {
        send(exchange, status, "application/json; charset=utf-8", Json.compact(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code {"error": code, "message": message}} with {@code status}. */
    public static void sendError(final HttpExchange exchange, final int status, final String code, final String message)
        throws IOException
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        sendJson(exchange, status, body);
    }

    /** Sends raw bytes with a content type. */
    public static void send(final HttpExchange exchange, final int status, final String contentType, final byte[] body)
        throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    /**
     * Reads the request body as UTF-8, refusing more than {@link #MAX_BODY_BYTES}.
     *
     * @throws IOException when the body is longer than the bound
     */
    public static String readBody(final HttpExchange exchange) throws IOException
    {
        try (InputStream in = exchange.getRequestBody())
        {
            final byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES)
            {
                throw new IOException("request body longer than " + MAX_BODY_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** @return true when the method matches; otherwise answers 405 with an {@code Allow} header and returns false. */
    public static boolean requireMethod(final HttpExchange exchange, final String method) throws IOException
    {
        if (method.equalsIgnoreCase(exchange.getRequestMethod()))
        {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", method);
        sendError(exchange, 405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed here; use " + method);
        return false;
    }
}
