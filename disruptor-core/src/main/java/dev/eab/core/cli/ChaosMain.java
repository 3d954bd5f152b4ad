package dev.eab.core.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.Json;
import dev.eab.core.ops.OpsServer;
import dev.eab.core.ops.TokenMinter;
import dev.eab.core.resilience.ChaosRoutes;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./eab chaos <drill> [--duration S]}: the operator's fire drill against a running {@code ./eab serve}, through
 * its authenticated admin endpoints ({@link ChaosRoutes}). It starts the drill (with probe traffic unless
 * {@code --traffic 0}), prints once a second what the bus is doing (health, breakers, messages delivered and
 * rejected), waits for the scenario to end and the bus to heal, then prints what the bus did: message counters and
 * chaos counters over the drill, the recovery's steps, and the drill traffic's unvalidated deliveries (must be 0).
 * Also {@code list}, {@code status}, {@code stop <scenario>}, {@code emergency-stop}, {@code reset}.
 *
 * <p>Token: {@code --token}, else {@code $EAB_ADMIN_TOKEN}, else one minted for the {@value BearerAuth#ADMIN_ROLE} role
 * with the server's shared secret ({@code EAB_AUTH_HS256_SECRET(_FILE)}). Exit status: 0 done (and no unvalidated
 * delivery), 1 refused, unreachable, or an unvalidated delivery seen, 2 usage.
 */
public final class ChaosMain
{
    /** The server the CLI talks to unless {@code --url} says otherwise. */
    public static final String DEFAULT_URL = "http://127.0.0.1:" + OpsServer.DEFAULT_PORT;
    /** The environment variable holding an admin token. */
    public static final String ENV_TOKEN = "EAB_ADMIN_TOKEN";
    /** Exit status: refused, unreachable, or the bus delivered something unvalidated. */
    public static final int EXIT_FAILED = 1;
    /** Exit status: bad command line. */
    public static final int EXIT_USAGE = 2;
    /** How long after a drill's scenarios end the CLI waits for the bus to report HEALTHY again. */
    public static final Duration HEAL_WAIT = Duration.ofSeconds(40);
    private static final int REQUEST_TIMEOUT_S = 30;
    private static final int DEFAULT_TRAFFIC = 50;
    private static final String USAGE = """
        usage: ./eab chaos <drill> [--duration S] [--traffic N] [--set key=value]... [--url U] [--token T]
               ./eab chaos list | status | stop <scenario> | emergency-stop | reset
          <drill>         a named drill (./eab chaos list): e.g. native-fault, breaker-open, validation-errors,
                          journal-fault, ring-exhaustion, partition, clock-skew
          --duration S    how long the scenario runs (default 10, at most 300)
          --traffic N     probe messages a second during the drill (default %d; 0 for none)
          --set key=value a drill parameter (rate, ms, level, breaker, agent, side, other)
          --url U         the ops server (default %s)
          --token T       admin bearer token (default: $%s, else minted from EAB_AUTH_HS256_SECRET)"""
        .formatted(DEFAULT_TRAFFIC, DEFAULT_URL, ENV_TOKEN);

    private ChaosMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command; @return the exit status. */
    public static int run(final String[] args, final Map<String, String> env, final PrintStream out, final PrintStream err)
    {
        final Options o;
        try
        {
            o = Options.parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            err.println("chaos: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        try
        {
            final String token = token(o, env);
            if (token == null)
            {
                err.println("chaos: no token: pass --token, set " + ENV_TOKEN + ", or set " + BearerAuth.ENV_HS256_SECRET
                    + " to the server's secret to mint an admin token");
                return EXIT_USAGE;
            }
            final Client client = new Client(o.url, token);
            return switch (o.command)
            {
                case "list" -> print(client.send("GET", "/drills"), out, err);
                case "status" -> print(client.send("GET", ""), out, err);
                case "stop" -> print(client.send("DELETE", "/scenarios/" + URLEncoder.encode(o.argument, StandardCharsets.UTF_8)), out, err);
                case "emergency-stop" -> print(client.send("POST", "/emergency-stop"), out, err);
                case "reset" -> print(client.send("POST", "/reset"), out, err);
                default -> drill(client, o, out, err);
            };
        }
        catch (final IOException e)
        {
            err.println("chaos: cannot reach " + o.url + ": " + ThrowableText.message(e));
            return EXIT_FAILED;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            err.println("chaos: interrupted");
            return EXIT_FAILED;
        }
        catch (final ConfigurationException e)
        {
            err.println("chaos: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private static String token(final Options o, final Map<String, String> env)
    {
        if (o.token != null)
        {
            return o.token.trim();
        }
        final String t = env.get(ENV_TOKEN);
        if (t != null && !t.isBlank())
        {
            return t.trim();
        }
        final byte[] secret = BearerAuth.hs256SecretFromEnvironment(env);
        if (secret == null)
        {
            return null;
        }
        // Issuer, audience and role claim as the server reads them from the same environment.
        final BearerAuth settings = BearerAuth.fromEnvironment(env);
        return TokenMinter.mintHs256(secret, settings.issuer(), settings.audience(), "eab-chaos-cli", List.of(BearerAuth.ADMIN_ROLE),
            settings.roleClaim(), Instant.now(), Duration.ofMinutes(15));
    }

    private static int print(final Reply r, final PrintStream out, final PrintStream err)
    {
        if (r.status != 200)
        {
            return r.fail(err);
        }
        out.print(Json.write(r.body));
        return 0;
    }

    private static int drill(final Client client, final Options o, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Reply before = client.send("GET", "");
        if (before.status != 200)
        {
            return before.fail(err);
        }
        final StringBuilder path = new StringBuilder("/drills/").append(URLEncoder.encode(o.command, StandardCharsets.UTF_8))
            .append("?duration=").append(o.durationS).append("&traffic=").append(o.traffic);
        o.params.forEach((k, v) -> path.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        final Reply started = client.send("POST", path.toString());
        if (started.status != 200)
        {
            return started.fail(err);
        }
        out.println("drill " + o.command + ": " + started.body.get("description"));
        for (final Object s : list(started.body.get("scenarios")))
        {
            out.println("  scenario " + Json.compact(s));
        }
        out.println(line(0, map(before.body)));
        final long t0 = System.nanoTime();
        final long endNs = t0 + (long)(o.durationS * 1e9);
        Map<String, Object> now = map(started.body.get("status"));
        long healedAt = -1;
        while (true)
        {
            Thread.sleep(1000);
            final Reply r = client.send("GET", "");
            if (r.status != 200)
            {
                return r.fail(err);
            }
            now = r.body;
            final long elapsedS = (System.nanoTime() - t0) / 1_000_000_000L;
            out.println(line(elapsedS, now));
            final boolean drillActive = list(now.get("chaos_active")).stream().anyMatch(s -> String.valueOf(map(s).get("name")).startsWith("drill_"));
            if (!drillActive && System.nanoTime() > endNs)
            {
                if ("HEALTHY".equals(now.get("status")))
                {
                    healedAt = elapsedS;
                    break;
                }
                if (System.nanoTime() - endNs > HEAL_WAIT.toNanos())
                {
                    break;
                }
            }
        }
        Thread.sleep(300);
        final Reply after = client.send("GET", "");
        now = after.status == 200 ? after.body : now;
        return summary(map(before.body), now, healedAt, out);
    }

    private static int summary(final Map<String, Object> before, final Map<String, Object> after, final long healedAt, final PrintStream out)
    {
        final Map<String, Object> result = new LinkedHashMap<>();
        final Map<String, Object> b0 = map(before.get("bus"));
        final Map<String, Object> b1 = map(after.get("bus"));
        final Map<String, Object> bus = new LinkedHashMap<>();
        for (final String k : List.of("processed", "delivered", "rejected_total", "handler_failed", "backpressure_rejected", "pipeline_failures"))
        {
            bus.put(k, num(b1.get(k)) - num(b0.get(k)));
        }
        result.put("bus_during_drill", bus);
        final Map<String, Object> c0 = map(before.get("chaos"));
        final Map<String, Object> c1 = map(after.get("chaos"));
        final Map<String, Object> chaos = new LinkedHashMap<>();
        for (final String k : c1.keySet())
        {
            if (k.startsWith("total_"))
            {
                chaos.put(k, num(c1.get(k)) - num(c0.get(k)));
            }
        }
        result.put("chaos_injected", chaos);
        // The recovery's steps during the drill: the recent events the server did not have before it.
        final List<?> earlier = list(map(before.get("recovery")).get("recent_history"));
        result.put("recovery", list(map(after.get("recovery")).get("recent_history")).stream().filter(e -> !earlier.contains(e))
            .map(e -> map(e).get("service") + ": " + map(e).get("from") + " -> " + map(e).get("to") + " (" + map(e).get("detail") + ")").toList());
        result.put("health_after", Map.of("status", String.valueOf(after.get("status")), "score", after.get("score"),
            "breakers", after.get("breakers")));
        result.put("healed_after_s", healedAt < 0 ? "not within " + HEAL_WAIT.toSeconds() + " s of the drill's end" : healedAt);
        final Map<String, Object> t0 = map(before.get("drill_traffic"));
        final Map<String, Object> t1 = map(after.get("drill_traffic"));
        final Map<String, Object> traffic = new LinkedHashMap<>();
        for (final String k : List.of("sent", "sent_invalid", "delivered", "failed", "refused_at_send", "unvalidated_deliveries"))
        {
            traffic.put(k, num(t1.get(k)) - num(t0.get(k)));
        }
        traffic.put("rejected", t1.get("rejected"));
        result.put("drill_traffic", traffic);
        out.println("what the bus did:");
        out.print(Json.write(result));
        return num(traffic.get("unvalidated_deliveries")) == 0 ? 0 : EXIT_FAILED;
    }

    private static String line(final long elapsedS, final Map<String, Object> s)
    {
        final Map<String, Object> bus = map(s.get("bus"));
        final Map<String, Object> traffic = map(s.get("drill_traffic"));
        return String.format("t+%3ds health=%s score=%s critical=%s degraded=%s validator=%s processed=%d delivered=%d rejected=%d "
                + "probe_unvalidated=%d active=%d",
            elapsedS, s.get("status"), s.get("score"), s.get("critical_services"), s.get("degraded_services"), bus.get("validator"),
            num(bus.get("processed")), num(bus.get("delivered")), num(bus.get("rejected_total")), num(traffic.get("unvalidated_deliveries")),
            list(s.get("chaos_active")).size());
    }

    private static long num(final Object v)
    {
        return v instanceof Number n ? n.longValue() : 0L;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Object v)
    {
        return v instanceof Map<?, ?> m ? (Map<String, Object>)m : Map.of();
    }

    private static List<?> list(final Object v)
    {
        return v instanceof List<?> l ? l : List.of();
    }

    /** The HTTP client of the admin endpoints. */
    private static final class Client
    {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(REQUEST_TIMEOUT_S)).build();
        private final String base;
        private final String token;

        Client(final String url, final String token)
        {
            this.base = url.replaceAll("/+$", "") + ChaosRoutes.PREFIX;
            this.token = token;
        }

        Reply send(final String method, final String path) throws IOException, InterruptedException
        {
            final HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(REQUEST_TIMEOUT_S))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Object> parsed;
            try
            {
                parsed = JSONObjectUtils.parse(response.body());
            }
            catch (final ParseException e)
            {
                parsed = Map.of("error", "bad_response", "message", "the server answered " + response.statusCode() + " with a body that is not JSON");
            }
            return new Reply(response.statusCode(), parsed);
        }
    }

    private record Reply(int status, Map<String, Object> body)
    {
        int fail(final PrintStream err)
        {
            err.println("chaos: " + status + " " + body.get("error") + ": " + body.get("message"));
            return EXIT_FAILED;
        }
    }

    /** The command line. */
    static final class Options
    {
        String command;
        String argument;
        double durationS = 10;
        int traffic = DEFAULT_TRAFFIC;
        String url = DEFAULT_URL;
        String token;
        final Map<String, String> params = new LinkedHashMap<>();

        static Options parse(final String[] args)
        {
            final Options o = new Options();
            for (int i = 0; i < args.length; i++)
            {
                final String a = args[i];
                final String value = i + 1 < args.length ? args[i + 1] : null;
                switch (a)
                {
                    case "--duration" -> o.durationS = positive(value, "--duration");
                    case "--traffic" -> o.traffic = (int)nonNegative(value, "--traffic");
                    case "--url" -> o.url = required(value, "--url");
                    case "--token" -> o.token = required(value, "--token");
                    case "--set" ->
                    {
                        final String kv = required(value, "--set");
                        final int eq = kv.indexOf('=');
                        if (eq <= 0)
                        {
                            throw new IllegalArgumentException("--set needs key=value, not '" + kv + "'");
                        }
                        o.params.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    default ->
                    {
                        if (a.startsWith("--"))
                        {
                            throw new IllegalArgumentException("unknown option '" + a + "'");
                        }
                        if (o.command == null)
                        {
                            o.command = a;
                        }
                        else if (o.argument == null)
                        {
                            o.argument = a;
                        }
                        else
                        {
                            throw new IllegalArgumentException("unexpected argument '" + a + "'");
                        }
                        continue;
                    }
                }
                i++;
            }
            if (o.command == null)
            {
                throw new IllegalArgumentException("which drill? (./eab chaos list)");
            }
            if (o.command.equals("stop") && o.argument == null)
            {
                throw new IllegalArgumentException("stop needs the scenario's name");
            }
            return o;
        }

        private static String required(final String v, final String option)
        {
            if (v == null)
            {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return v;
        }

        private static double positive(final String v, final String option)
        {
            final double d = nonNegative(v, option);
            if (d == 0)
            {
                throw new IllegalArgumentException(option + " must be > 0");
            }
            return d;
        }

        private static double nonNegative(final String v, final String option)
        {
            try
            {
                final double d = Double.parseDouble(required(v, option));
                if (!(d >= 0))
                {
                    throw new IllegalArgumentException(option + " must be >= 0, not " + v);
                }
                return d;
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException(option + " needs a number, not '" + v + "'");
            }
        }
    }
}
