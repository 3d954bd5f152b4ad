package dev.eab.core.ops;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import dev.eab.api.DeliberationItem;
import dev.eab.api.Deliberations;
import dev.eab.api.VoteChoice;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.MaciException;
import dev.eab.api.exception.ThrowableText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code POST /deliberations/{id}/vote} with {@code {"approve":true|false,"reasoning":"..."}}: a judicial agent's
 * vote over HTTP, the same rules as {@link Deliberations#vote}. The voter is the token's subject (never a field of
 * the body), the token needs the {@value BearerAuth#JUDGE_ROLE} role, and the queue then checks that the subject
 * is a registered JUDICIAL agent that is neither the message's sender, nor its target agent, nor the producer of
 * its target output.
 *
 * <p>Answers: 200 the item after the vote (with {@code "decided":true} when the vote reached consensus); 400 a
 * body without a boolean {@code approve} or with a {@code reasoning} that is not a string of at most
 * {@value DeliberationRoutes#MAX_REASON_CHARS} characters; 403 {@code forbidden} with the MACI exception's text
 * (not JUDICIAL or unregistered: {@code MaciRoleViolationException}; judging its own work:
 * {@code MaciSelfValidationException}); 404 an unknown id; 409 an item already decided. Stateless.
 */
final class JudicialVoteRoute
{
    private static final Logger LOG = Logger.getLogger(JudicialVoteRoute.class.getName());

    private final Deliberations deliberations;

    JudicialVoteRoute(final Deliberations deliberations)
    {
        this.deliberations = deliberations;
    }

    void vote(final HttpExchange exchange, final String id, final BearerAuth.Caller judge) throws IOException
    {
        final Ballot ballot;
        try
        {
            ballot = ballot(exchange);
        }
        catch (final IllegalArgumentException e)
        {
            OpsServer.sendError(exchange, 400, "bad_request", e.getMessage());
            return;
        }
        final DeliberationItem after;
        try
        {
            after = deliberations.vote(id, judge.subject(), ballot.choice(), ballot.reasoning());
        }
        catch (final MaciException e)
        {
            OpsServer.sendError(exchange, 403, "forbidden", ThrowableText.message(e));
            return;
        }
        catch (final DeliberationException e)
        {
            final Optional<DeliberationItem> now = deliberations.get(id);
            if (now.isEmpty())
            {
                OpsServer.sendError(exchange, 404, "not_found", "no deliberation with id '" + id + "'");
            }
            else
            {
                final Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("error", now.get().status().isFinal() ? "already_decided" : "conflict");
                body.put("message", ThrowableText.message(e));
                body.put("status", now.get().status().value());
                OpsServer.sendJson(exchange, 409, body);
            }
            return;
        }
        LOG.info("judge '" + judge.subject() + "' voted " + ballot.choice() + " on deliberation " + id + " (now " + after.status().value() + ")");
        final Map<String, Object> body = DeliberationRoutes.toJson(after);
        body.put("decided", after.status().isFinal());
        OpsServer.sendJson(exchange, 200, body);
    }

    private record Ballot(VoteChoice choice, String reasoning)
    {
    }

    private static Ballot ballot(final HttpExchange exchange) throws IOException
    {
        final byte[] bytes;
        try (var in = exchange.getRequestBody())
        {
            bytes = in.readNBytes(DeliberationRoutes.MAX_BODY_BYTES + 1);
        }
        if (bytes.length > DeliberationRoutes.MAX_BODY_BYTES)
        {
            throw new IllegalArgumentException("request body longer than " + DeliberationRoutes.MAX_BODY_BYTES + " bytes");
        }
        final Map<String, Object> body;
        try
        {
            body = JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
        }
        catch (final ParseException | RuntimeException e)
        {
            throw new IllegalArgumentException("the body must be a JSON object {\"approve\": true|false, \"reasoning\": \"...\"}");
        }
        if (!(body.get("approve") instanceof Boolean approve))
        {
            throw new IllegalArgumentException("'approve' must be true or false");
        }
        final Object reasoning = body.get("reasoning");
        if (reasoning != null && !(reasoning instanceof String))
        {
            throw new IllegalArgumentException("'reasoning' must be a string");
        }
        final String text = reasoning == null ? "" : ((String)reasoning).strip();
        if (text.length() > DeliberationRoutes.MAX_REASON_CHARS)
        {
            throw new IllegalArgumentException("'reasoning' is longer than " + DeliberationRoutes.MAX_REASON_CHARS + " characters");
        }
        return new Ballot(approve ? VoteChoice.APPROVE : VoteChoice.REJECT, text);
    }
}
