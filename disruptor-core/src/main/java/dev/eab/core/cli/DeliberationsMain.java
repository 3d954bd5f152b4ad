package dev.eab.core.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.Json;
import dev.eab.core.ops.OpsServer;
import dev.eab.core.ops.TokenMinter;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./eab deliberations list|show|approve|reject|token}: the reviewer's command line, a client of the
 * ops server's {@code /deliberations} endpoints (the same ones the review console calls), plus {@code token},
 * which mints an HS256 reviewer token with the secret the server is configured with.
 *
 * <p>Exit status: 0 done, 1 the server refused or could not be reached (its error message is printed), 2 a usage
 * error. Everything the server returns is printed with control characters replaced, since held content and
 * agent names are untrusted and must not drive the terminal.
 */
public final class DeliberationsMain
{
    /** The server the CLI talks to unless {@code --url} says otherwise. */
    public static final String DEFAULT_URL = "http://127.0.0.1:" + OpsServer.DEFAULT_PORT;
    /** The environment variable holding the reviewer's token when {@code --token} is not given. */
    public static final String ENV_TOKEN = "EAB_REVIEWER_TOKEN";
    /** The environment variable holding a judicial agent's token for {@code vote} when {@code --token} is not given. */
    public static final String ENV_JUDGE_TOKEN = "EAB_JUDGE_TOKEN";
    /** Exit status: the server refused or was unreachable. */
    public static final int EXIT_FAILED = 1;
    /** Exit status: bad command line. */
    public static final int EXIT_USAGE = 2;

    private static final int REQUEST_TIMEOUT_S = 30;
    private static final int MAX_CELL_CHARS = 48;
    private static final String USAGE = """
        usage: ./eab deliberations <command> [options]
          list                        held messages waiting for review
          show <id>                   one item: message, impact factors, votes, decision
          approve <id> --reason R     approve (the message is delivered with its original id)
          reject <id> --reason R      reject (the message fails)
          vote <id> --approve|--reject [--reason R]
                                      a judicial agent's vote (token: role judge, subject = a JUDICIAL agent;
                                      default $%s); consensus decides the item
          token --subject NAME [--role reviewer] [--ttl 8h]
                                      print an HS256 token signed with EAB_AUTH_HS256_SECRET(_FILE)
        options for list/show/approve/reject:
          --url U      the ops server (default %s)
          --token T    bearer token (default: $%s)
          --json       print the server's JSON instead of a table""".formatted(ENV_JUDGE_TOKEN, DEFAULT_URL, ENV_TOKEN);

    private DeliberationsMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command; @return the exit status. */
    public static int run(final String[] args, final Map<String, String> env, final PrintStream out, final PrintStream err)
    {
        final Options options;
        try
        {
            options = Options.parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            err.println("deliberations: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        try
        {
            if ("token".equals(options.command))
            {
                return token(options, env, out, err);
            }
            final String envToken = "vote".equals(options.command) ? ENV_JUDGE_TOKEN : ENV_TOKEN;
            final String token = options.token != null ? options.token : env.get(envToken);
            if (token == null || token.isBlank())
            {
                err.println("deliberations: no token: pass --token or set " + envToken
                    + " (an operator mints one with './eab deliberations token --subject NAME"
                    + ("vote".equals(options.command) ? " --role judge" : "") + "')");
                return EXIT_USAGE;
            }
            final Client client = new Client(options.url, token.trim());
            return switch (options.command)
            {
                case "list" -> list(client, options, out, err);
                case "show" -> show(client, options, out, err);
                case "approve", "reject" -> decide(client, options, out, err);
                case "vote" -> vote(client, options, out, err);
                default -> throw new IllegalStateException(options.command);
            };
        }
        catch (final IOException e)
        {
            err.println("deliberations: cannot reach " + options.url + ": " + dev.eab.api.exception.ThrowableText.message(e));
            return EXIT_FAILED;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            err.println("deliberations: interrupted");
            return EXIT_FAILED;
        }
        catch (final ConfigurationException e)
        {
            err.println("deliberations: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private static int token(final Options options, final Map<String, String> env, final PrintStream out, final PrintStream err)
    {
        if (options.subject == null)
        {
            err.println("deliberations: token needs --subject NAME (the reviewer's identity)");
            return EXIT_USAGE;
        }
        final byte[] secret = BearerAuth.hs256SecretFromEnvironment(env);
        if (secret == null)
        {
            err.println("deliberations: set " + BearerAuth.ENV_HS256_SECRET + " or " + BearerAuth.ENV_HS256_SECRET_FILE
                + " to the secret the server verifies with");
            return EXIT_USAGE;
        }
        // Issuer, audience and role claim as the server reads them, so the token fits the server it is for.
        final BearerAuth settings = BearerAuth.fromEnvironment(env);
        out.println(TokenMinter.mintHs256(secret, settings.issuer(), settings.audience(), options.subject,
            List.of(options.role), settings.roleClaim(), Instant.now(), options.ttl));
        return 0;
    }

    private static int list(final Client client, final Options options, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Reply reply = client.send("GET", "", null);
        if (!reply.ok())
        {
            return reply.fail(err);
        }
        if (options.json)
        {
            out.print(Json.write(reply.body));
            return 0;
        }
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "HELD AT", "SENDER", "TENANT", "TYPE", "PRIORITY", "IMPACT", "FACTORS"));
        for (final Object o : reply.list("items"))
        {
            if (o instanceof Map<?, ?> item)
            {
                rows.add(List.of(text(item.get("id")), text(item.get("created_at")), text(item.get("sender")),
                    text(item.get("tenant")), text(item.get("type")), text(item.get("priority")),
                    score(item.get("impact_score")), factors(item.get("impact_factors"))));
            }
        }
        printTable(rows, out);
        out.println(rows.size() - 1 + " held");
        return 0;
    }

    private static int show(final Client client, final Options options, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Reply reply = client.send("GET", "/" + encode(options.id), null);
        if (!reply.ok())
        {
            return reply.fail(err);
        }
        printItem(reply.body, options.json, out);
        return 0;
    }

    private static int decide(final Client client, final Options options, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", options.reason);
        final Reply reply = client.send("POST", "/" + encode(options.id) + "/" + options.command, Json.compact(body));
        if (!reply.ok())
        {
            return reply.fail(err);
        }
        printItem(reply.body, options.json, out);
        return 0;
    }

    private static int vote(final Client client, final Options options, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("approve", options.approve);
        body.put("reasoning", options.reason == null ? "" : options.reason);
        final Reply reply = client.send("POST", "/" + encode(options.id) + "/vote", Json.compact(body));
        if (!reply.ok())
        {
            return reply.fail(err);
        }
        printItem(reply.body, options.json, out);
        return 0;
    }

    private static void printItem(final Map<String, Object> item, final boolean json, final PrintStream out)
    {
        if (json)
        {
            out.print(Json.write(item));
            return;
        }
        final String[] keys = {"id", "status", "message_id", "sender", "recipient", "tenant", "type", "priority",
            "impact_score", "impact_factors", "threshold", "required_votes", "consensus_threshold", "reviewer",
            "reasoning", "created_at", "decided_at", "timeout_at"};
        for (final String key : keys)
        {
            final Object v = item.get(key);
            final String shown = switch (key)
            {
                case "impact_score", "threshold", "consensus_threshold" -> score(v);
                case "impact_factors" -> factors(v);
                default -> text(v);
            };
            out.printf("%-20s %s%n", key, shown);
        }
        out.println("votes");
        if (item.get("votes") instanceof List<?> votes && !votes.isEmpty())
        {
            for (final Object o : votes)
            {
                if (o instanceof Map<?, ?> vote)
                {
                    out.println("  " + text(vote.get("agent_id")) + ": " + text(vote.get("choice")) + "  " + text(vote.get("reasoning")));
                }
            }
        }
        else
        {
            out.println("  (none)");
        }
        out.println("content");
        out.print(safe(Json.write(item.get("content"))).indent(2));
    }

    static void printTable(final List<List<String>> rows, final PrintStream out)
    {
        final int columns = rows.get(0).size();
        final int[] widths = new int[columns];
        for (final List<String> row : rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (final List<String> row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++)
            {
                line.append(c + 1 < columns ? String.format("%-" + widths[c] + "s  ", row.get(c)) : row.get(c));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String text(final Object v)
    {
        if (v == null)
        {
            return "";
        }
        final String s = safe(String.valueOf(v));
        return s.length() > MAX_CELL_CHARS ? s.substring(0, MAX_CELL_CHARS - 1) + "…" : s;
    }

    /** Replaces control characters (C0, DEL, C1), so untrusted text cannot move the cursor or recolour the terminal. */
    static String safe(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            sb.append((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) ? '?' : c);
        }
        return sb.toString();
    }

    private static String score(final Object v)
    {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.2f", n.doubleValue()) : text(v);
    }

    private static String factors(final Object v)
    {
        if (!(v instanceof Map<?, ?> map))
        {
            return "";
        }
        final StringBuilder sb = new StringBuilder();
        map.forEach((k, value) ->
        {
            if (value instanceof Number n && n.doubleValue() != 0.0)
            {
                sb.append(sb.isEmpty() ? "" : " ").append(safe(String.valueOf(k))).append('=')
                    .append(String.format(Locale.ROOT, "%.2f", n.doubleValue()));
            }
        });
        return sb.toString();
    }

    private static String encode(final String id)
    {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One HTTP exchange with the server. */
    private static final class Client
    {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(REQUEST_TIMEOUT_S)).build();
        private final String base;
        private final String token;

        Client(final String url, final String token)
        {
            this.base = url.replaceAll("/+$", "") + "/deliberations";
            this.token = token;
        }

        Reply send(final String method, final String path, final String body) throws IOException, InterruptedException
        {
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(REQUEST_TIMEOUT_S))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
            if (body == null)
            {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            else
            {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Object> parsed;
            try
            {
                parsed = JSONObjectUtils.parse(response.body());
            }
            catch (final ParseException e)
            {
                parsed = Map.of("error", "bad_response", "message", "the server answered " + response.statusCode()
                    + " with a body that is not JSON");
            }
            return new Reply(response.statusCode(), parsed);
        }
    }

    /** A status and a parsed JSON object. */
    private record Reply(int status, Map<String, Object> body)
    {
        boolean ok()
        {
            return status == 200;
        }

        List<?> list(final String key)
        {
            return body.get(key) instanceof List<?> l ? l : List.of();
        }

        int fail(final PrintStream err)
        {
            err.println("deliberations: " + status + " " + text(body.get("error")) + ": " + safe(String.valueOf(body.get("message"))));
            return EXIT_FAILED;
        }
    }

    /** The parsed command line. */
    static final class Options
    {
        String command;
        String id;
        String url = DEFAULT_URL;
        String token;
        String reason;
        String subject;
        String role = BearerAuth.REVIEWER_ROLE;
        Duration ttl = TokenMinter.DEFAULT_TTL;
        boolean json;
        /** For {@code vote}: true --approve, false --reject, null neither given. */
        Boolean approve;

        static Options parse(final String[] args)
        {
            final Options o = new Options();
            final List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.length; i++)
            {
                final String arg = args[i];
                switch (arg)
                {
                    case "--url" -> o.url = value(args, ++i, arg);
                    case "--token" -> o.token = value(args, ++i, arg);
                    case "--reason" -> o.reason = value(args, ++i, arg);
                    case "--subject" -> o.subject = value(args, ++i, arg);
                    case "--role" -> o.role = value(args, ++i, arg);
                    case "--ttl" -> o.ttl = duration(value(args, ++i, arg));
                    case "--json" -> o.json = true;
                    case "--approve", "--reject" ->
                    {
                        final boolean approve = "--approve".equals(arg);
                        if (o.approve != null && o.approve != approve)
                        {
                            throw new IllegalArgumentException("give one of --approve and --reject");
                        }
                        o.approve = approve;
                    }
                    default ->
                    {
                        if (arg.startsWith("--"))
                        {
                            throw new IllegalArgumentException("unknown option '" + arg + "'");
                        }
                        positional.add(arg);
                    }
                }
            }
            if (positional.isEmpty())
            {
                throw new IllegalArgumentException("no command");
            }
            o.command = positional.get(0);
            final int expected = switch (o.command)
            {
                case "list", "token" -> 1;
                case "show", "approve", "reject", "vote" -> 2;
                default -> throw new IllegalArgumentException("unknown command '" + o.command + "'");
            };
            if (positional.size() != expected)
            {
                throw new IllegalArgumentException(o.command + (expected == 2 ? " takes one id" : " takes no arguments"));
            }
            if (expected == 2)
            {
                o.id = positional.get(1);
            }
            if (("approve".equals(o.command) || "reject".equals(o.command)) && (o.reason == null || o.reason.isBlank()))
            {
                throw new IllegalArgumentException(o.command + " needs --reason R (a decision carries its reasoning)");
            }
            if ("vote".equals(o.command) && o.approve == null)
            {
                throw new IllegalArgumentException("vote needs --approve or --reject");
            }
            if (!"vote".equals(o.command) && o.approve != null)
            {
                throw new IllegalArgumentException("--approve/--reject are for vote (use the approve or reject command)");
            }
            if (!o.url.startsWith("http://") && !o.url.startsWith("https://"))
            {
                throw new IllegalArgumentException("--url must start with http:// or https://, not '" + o.url + "'");
            }
            return o;
        }

        private static String value(final String[] args, final int i, final String option)
        {
            if (i >= args.length)
            {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        /** {@code 90}, {@code 90s}, {@code 30m}, {@code 8h}, {@code 2d}. */
        static Duration duration(final String text)
        {
            try
            {
                final char unit = text.charAt(text.length() - 1);
                final String digits = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1);
                final long n = Long.parseLong(digits);
                final Duration d = switch (unit)
                {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default ->
                    {
                        if (!Character.isDigit(unit))
                        {
                            throw new IllegalArgumentException("unit");
                        }
                        yield Duration.ofSeconds(n);
                    }
                };
                if (d.isNegative() || d.isZero())
                {
                    throw new IllegalArgumentException("not positive");
                }
                return d;
            }
            catch (final RuntimeException e)
            {
                throw new IllegalArgumentException("--ttl must be a positive duration such as 3600, 30m, 8h or 2d, not '" + text + "'");
            }
        }
    }
}
