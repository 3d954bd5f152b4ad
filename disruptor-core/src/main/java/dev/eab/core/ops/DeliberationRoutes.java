package dev.eab.core.ops;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationVote;
import dev.eab.api.Deliberations;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.MaciException;
import dev.eab.api.exception.ThrowableText;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The deliberation endpoints on the {@link OpsServer}, every one behind a bearer token with the
 * {@value BearerAuth#REVIEWER_ROLE} role ({@link BearerAuth}):
 * <ul>
 *   <li>{@code GET /deliberations}: the items still waiting, oldest first: {@code {"count":n,"items":[...]}};</li>
 *   <li>{@code GET /deliberations/{id}}: one item, final or not;</li>
 *   <li>{@code POST /deliberations/{id}/approve} and {@code .../reject} with {@code {"reason":"..."}}: a human
 *       decision; the reviewer is the token's subject, never a field of the body;</li>
 *   <li>{@code POST /deliberations/{id}/vote} with {@code {"approve":true|false,"reasoning":"..."}}: a judicial
 *       agent's vote; this one needs the {@value BearerAuth#JUDGE_ROLE} role instead ({@link JudicialVoteRoute});</li>
 *   <li>{@code GET /deliberations/events}: held and decided events as Server-Sent Events ({@link DeliberationEvents}).</li>
 * </ul>
 * Errors are JSON {@code {"error":code,"message":text}}: 400 a body that is not a JSON object with a non-blank
 * {@code reason} (at most {@value #MAX_REASON_CHARS} characters), 401/403 from the token, 404 an unknown id or
 * path, 405 a wrong method, 409 an item already decided.
 *
 * <p>A thin client of {@link Deliberations}: the engine owns the items and their rules; this class owns only the
 * HTTP shape. Stateless, so any server thread may run it.
 */
public final class DeliberationRoutes
{
    /** The path prefix the routes are registered under. */
    public static final String PREFIX = "/deliberations";
    /** Longest reason accepted, characters. */
    public static final int MAX_REASON_CHARS = 4_000;
    /** Largest request body read, bytes (a reason and some JSON around it). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(DeliberationRoutes.class.getName());

    /** The event stream's path segment: {@code GET /deliberations/events} (ids are never this word). */
    public static final String EVENTS = "events";

    private final Deliberations deliberations;
    private final BearerAuth auth;
    private final JudicialVoteRoute votes;
    private final DeliberationEvents events;

    /**
     * @param deliberations the engine's deliberations (the bus's, or any implementation of the seam)
     * @param auth          the token verifier shared by the server's routes
     */
    public DeliberationRoutes(final Deliberations deliberations, final BearerAuth auth)
    {
        this.deliberations = java.util.Objects.requireNonNull(deliberations, "deliberations");
        this.auth = java.util.Objects.requireNonNull(auth, "auth");
        this.votes = new JudicialVoteRoute(deliberations);
        this.events = new DeliberationEvents(deliberations);
    }

    /** With an event stream of its own heartbeat and queue bound (tests). */
    public DeliberationRoutes(final Deliberations deliberations, final BearerAuth auth, final DeliberationEvents events)
    {
        this.deliberations = java.util.Objects.requireNonNull(deliberations, "deliberations");
        this.auth = java.util.Objects.requireNonNull(auth, "auth");
        this.votes = new JudicialVoteRoute(deliberations);
        this.events = java.util.Objects.requireNonNull(events, "events");
    }

    /** @return the event stream's counters (subscribers, events sent, slow subscribers cut off). */
    public DeliberationEvents events()
    {
        return events;
    }

    /** Registers the routes on {@code server} (before it starts). */
    public void register(final OpsServer server)
    {
        server.route(PREFIX, this::handle);
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final List<String> segments = segments(exchange.getRequestURI().getRawPath());
        // Only the path decides the role (a vote needs a judge); authenticate before anything else, so a caller
        // without a token learns nothing, not even which ids exist.
        final boolean vote = segments != null && segments.size() == 2 && "vote".equals(segments.get(1));
        final BearerAuth.Caller caller = auth.authenticate(exchange, vote ? BearerAuth.JUDGE_ROLE : BearerAuth.REVIEWER_ROLE);
        if (caller == null)
        {
            return;
        }
        if (segments == null)
        {
            OpsServer.sendError(exchange, 404, "not_found", "no such endpoint: " + exchange.getRequestURI().getPath());
            return;
        }
        if (vote)
        {
            if (OpsServer.requireMethod(exchange, "POST"))
            {
                votes.vote(exchange, segments.get(0), caller);
            }
            return;
        }
        if (segments.size() == 1 && EVENTS.equals(segments.get(0)))
        {
            if (OpsServer.requireMethod(exchange, "GET"))
            {
                events.stream(exchange);
            }
            return;
        }
        switch (segments.size())
        {
            case 0 ->
            {
                if (OpsServer.requireMethod(exchange, "GET"))
                {
                    list(exchange);
                }
            }
            case 1 ->
            {
                if (OpsServer.requireMethod(exchange, "GET"))
                {
                    show(exchange, segments.get(0));
                }
            }
            case 2 ->
            {
                final String action = segments.get(1);
                if (!"approve".equals(action) && !"reject".equals(action))
                {
                    OpsServer.sendError(exchange, 404, "not_found", "no such action '" + action + "': use approve, reject or vote");
                }
                else if (OpsServer.requireMethod(exchange, "POST"))
                {
                    decide(exchange, segments.get(0), "approve".equals(action), caller);
                }
            }
            default -> OpsServer.sendError(exchange, 404, "not_found", "no such endpoint: " + exchange.getRequestURI().getPath());
        }
    }

    private void list(final HttpExchange exchange) throws IOException
    {
        final List<DeliberationItem> pending = deliberations.pending();
        final List<Object> items = new ArrayList<>(pending.size());
        for (final DeliberationItem item : pending)
        {
            items.add(toJson(item));
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", items.size());
        body.put("items", items);
        OpsServer.sendJson(exchange, 200, body);
    }

    private void show(final HttpExchange exchange, final String id) throws IOException
    {
        final Optional<DeliberationItem> item = deliberations.get(id);
        if (item.isEmpty())
        {
            unknown(exchange, id);
            return;
        }
        OpsServer.sendJson(exchange, 200, toJson(item.get()));
    }

    private void decide(final HttpExchange exchange, final String id, final boolean approve, final BearerAuth.Caller caller)
        throws IOException
    {
        final String reason;
        try
        {
            reason = reason(exchange);
        }
        catch (final BadRequest e)
        {
            OpsServer.sendError(exchange, 400, "bad_request", e.getMessage());
            return;
        }
        final Optional<DeliberationItem> before = deliberations.get(id);
        if (before.isEmpty())
        {
            unknown(exchange, id);
            return;
        }
        if (before.get().status().isFinal())
        {
            alreadyDecided(exchange, before.get());
            return;
        }
        final DeliberationItem decided;
        try
        {
            decided = approve
                ? deliberations.approve(id, caller.subject(), reason)
                : deliberations.reject(id, caller.subject(), reason);
        }
        catch (final MaciException e)
        {
            OpsServer.sendError(exchange, 403, "forbidden", ThrowableText.message(e));
            return;
        }
        catch (final DeliberationException e)
        {
            // Raced with another reviewer, a vote or the timeout: say where the item stands now.
            final Optional<DeliberationItem> now = deliberations.get(id);
            if (now.isEmpty())
            {
                unknown(exchange, id);
            }
            else if (now.get().status().isFinal())
            {
                alreadyDecided(exchange, now.get());
            }
            else
            {
                OpsServer.sendError(exchange, 409, "conflict", ThrowableText.message(e));
            }
            return;
        }
        LOG.info("reviewer '" + caller.subject() + "' " + (approve ? "approved" : "rejected") + " deliberation " + id);
        OpsServer.sendJson(exchange, 200, toJson(decided));
    }

    private static String reason(final HttpExchange exchange) throws IOException, BadRequest
    {
        final byte[] bytes;
        try (var in = exchange.getRequestBody())
        {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES)
        {
            throw new BadRequest("request body longer than " + MAX_BODY_BYTES + " bytes");
        }
        final Map<String, Object> body;
        try
        {
            body = JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
        }
        catch (final ParseException | RuntimeException e)
        {
            throw new BadRequest("the body must be a JSON object {\"reason\": \"...\"}");
        }
        final Object reason = body.get("reason");
        if (!(reason instanceof String text) || text.isBlank())
        {
            throw new BadRequest("'reason' must be a non-empty string: a decision needs its reasoning");
        }
        if (text.length() > MAX_REASON_CHARS)
        {
            throw new BadRequest("'reason' is longer than " + MAX_REASON_CHARS + " characters");
        }
        return text.strip();
    }

    private static void unknown(final HttpExchange exchange, final String id) throws IOException
    {
        OpsServer.sendError(exchange, 404, "not_found", "no deliberation with id '" + id + "'");
    }

    private static void alreadyDecided(final HttpExchange exchange, final DeliberationItem item) throws IOException
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "already_decided");
        body.put("message", "deliberation '" + item.id() + "' is already " + item.status().value()
            + (item.reviewer() == null ? "" : " (by " + item.reviewer() + ")"));
        body.put("status", item.status().value());
        OpsServer.sendJson(exchange, 409, body);
    }

    /** @return the path's segments after {@link #PREFIX}, URL-decoded; null when the path is not under it. */
    static List<String> segments(final String rawPath)
    {
        if (rawPath == null || !rawPath.startsWith(PREFIX))
        {
            return null;
        }
        final String rest = rawPath.substring(PREFIX.length());
        if (!rest.isEmpty() && rest.charAt(0) != '/')
        {
            return null; // "/deliberationsX" is not ours
        }
        final List<String> out = new ArrayList<>();
        for (final String part : rest.split("/"))
        {
            if (!part.isEmpty())
            {
                try
                {
                    out.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
                }
                catch (final IllegalArgumentException e)
                {
                    return null;
                }
            }
        }
        return out;
    }

    /**
     * The JSON shape of an item, shared by the endpoints, the CLI's expectations and the console: id, status,
     * the message's sender, recipient, tenant, type, priority, message id and content; the impact score, its
     * factors and the threshold; votes and consensus settings; the reviewer and reasoning; the times.
     */
    public static Map<String, Object> toJson(final DeliberationItem item)
    {
        final AgentMessage message = item.message();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", item.id());
        m.put("status", item.status().value());
        m.put("message_id", message.messageId());
        m.put("sender", message.sendingAgent());
        m.put("recipient", message.toAgent());
        m.put("tenant", message.tenantId());
        m.put("type", message.messageType().value());
        m.put("priority", message.priority().name().toLowerCase(java.util.Locale.ROOT));
        m.put("impact_score", item.impactScore());
        m.put("impact_factors", item.impactFactors() == null ? Map.of() : new LinkedHashMap<>(item.impactFactors()));
        m.put("threshold", item.threshold());
        m.put("content", jsonSafe(message.content()));
        m.put("required_votes", item.requiredVotes());
        m.put("consensus_threshold", item.consensusThreshold());
        final List<Object> votes = new ArrayList<>();
        if (item.votes() != null)
        {
            for (final DeliberationVote vote : item.votes())
            {
                final Map<String, Object> v = new LinkedHashMap<>();
                v.put("agent_id", vote.agentId());
                v.put("choice", vote.choice().name().toLowerCase(java.util.Locale.ROOT));
                v.put("reasoning", vote.reasoning());
                v.put("at", time(vote.at()));
                votes.add(v);
            }
        }
        m.put("votes", votes);
        m.put("reviewer", item.reviewer());
        m.put("reasoning", item.reasoning());
        m.put("created_at", time(item.createdAt()));
        m.put("decided_at", time(item.decidedAt()));
        m.put("timeout_at", time(item.timeoutAt()));
        return m;
    }

    private static String time(final Instant t)
    {
        return t == null ? null : t.toString();
    }

    /** Content values as {@link Json} writes them faithfully: byte arrays as base64, big numbers as strings. */
    private static Object jsonSafe(final Object v)
    {
        if (v instanceof Map<?, ?> map)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, value) -> out.put(String.valueOf(k), jsonSafe(value)));
            return out;
        }
        if (v instanceof List<?> list)
        {
            final List<Object> out = new ArrayList<>(list.size());
            for (final Object o : list)
            {
                out.add(jsonSafe(o));
            }
            return out;
        }
        if (v instanceof byte[] bytes)
        {
            return Map.of("base64", Base64.getEncoder().encodeToString(bytes));
        }
        if (v instanceof BigInteger || v instanceof BigDecimal)
        {
            return v.toString();
        }
        return v;
    }

    /** A request body the endpoint cannot use (400). */
    private static final class BadRequest extends Exception
    {
        BadRequest(final String message)
        {
            super(message, null, false, false);
        }
    }
}
