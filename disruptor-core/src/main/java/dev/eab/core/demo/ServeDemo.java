package dev.eab.core.demo;

import dev.eab.api.AgentBus;
import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.Decision;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.TokenMinter;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./eab serve --demo}: the review surface with something to review. Governance is turned on, demo agents
 * are registered (two planners, an executor, three judges in tenant {@value #TENANT}), a few high-impact messages
 * are sent and held, one ordinary message is delivered at once, and a reviewer token is printed with the console's
 * URL. Deliveries and decisions are printed as they happen, so approving in the console shows the message arrive.
 *
 * <p>Tokens are HS256 with the configured secret ({@code EAB_AUTH_HS256_SECRET[_FILE]}), or with a random secret made
 * for this run when none is configured (then only the printed token works, and it dies with the process).
 */
public final class ServeDemo
{
    /** The demo's tenant. */
    public static final String TENANT = "demo";
    /** The subject of the printed reviewer token. */
    public static final String REVIEWER = "demo-reviewer";
    /** How long held demo items wait before timing out, unless {@code EAB_DELIBERATION_TIMEOUT_MS} says otherwise. */
    public static final long DEMO_TIMEOUT_MS = TimeUnit.HOURS.toMillis(1);
    private static final long SEND_TIMEOUT_S = 30;
    private static final int GENERATED_SECRET_BYTES = 32;

    private final Map<String, String> env;
    private final byte[] secret;
    private final boolean generatedSecret;
    private final BearerAuth auth;

    private ServeDemo(final Map<String, String> env)
    {
        this.env = env;
        final byte[] configured = BearerAuth.hs256SecretFromEnvironment(env);
        this.generatedSecret = configured == null;
        if (configured == null)
        {
            final byte[] random = new byte[GENERATED_SECRET_BYTES];
            new SecureRandom().nextBytes(random);
            this.secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
        }
        else
        {
            this.secret = configured;
        }
        this.auth = BearerAuth.builderFromEnvironment(env).hs256Secret(secret).build();
    }

    /** Reads the demo's settings (and a configured secret, if any) from the environment. */
    public static ServeDemo fromEnvironment(final Map<String, String> env)
    {
        return new ServeDemo(env);
    }

    /** @return {@code config} with governance on (and the demo's longer timeout unless one is configured). */
    public BusConfiguration configure(final BusConfiguration config)
    {
        final var governance = config.governance().withEnabled(true);
        return config.withGovernance(env.containsKey("EAB_DELIBERATION_TIMEOUT_MS") ? governance : governance.withTimeoutMs(DEMO_TIMEOUT_MS));
    }

    /** @return the verifier the server's routes use: the configured keys plus the demo's secret. */
    public BearerAuth auth()
    {
        return auth;
    }

    /** @return a fresh reviewer token for {@code subject}, signed with the demo's secret. */
    public String reviewerToken(final String subject)
    {
        return TokenMinter.mintHs256(secret, auth.issuer(), auth.audience(), subject, List.of(BearerAuth.REVIEWER_ROLE), auth.roleClaim(),
            Instant.now(), TokenMinter.DEFAULT_TTL);
    }

    /**
     * Registers the demo agents on a started bus, sends the demo traffic and prints what a reviewer needs.
     *
     * @return the number of messages held
     */
    public int populate(final AgentBus bus, final String baseUrl, final PrintStream out) throws Exception
    {
        bus.registerAgent("planner-1", "planner", Set.of("planning"), TENANT, MaciRole.EXECUTIVE);
        bus.registerAgent("planner-2", "planner", Set.of("planning"), TENANT, MaciRole.EXECUTIVE);
        bus.registerAgent("executor-1", "executor", Set.of("execution"), TENANT, MaciRole.IMPLEMENTER);
        for (int i = 1; i <= 3; i++)
        {
            bus.registerAgent("judge-" + i, "judge", Set.of("review"), TENANT, MaciRole.JUDICIAL);
        }
        bus.subscribe("executor-1", m ->
        {
            final AgentMessage message = m.toMessage();
            out.println("  delivered to executor-1: " + message.messageId() + " from " + message.sendingAgent());
        }, DeliveryMode.DISPATCHED);
        bus.deliberations().addListener(new DeliberationListener()
        {
            @Override
            public void onDecided(final DeliberationItem item)
            {
                out.println("  decided " + item.id() + ": " + item.status().value()
                    + (item.reviewer() == null ? "" : " by " + item.reviewer()));
            }
        });

        int held = 0;
        held += send(bus, out, "planner-1", Priority.NORMAL, MessageType.COMMAND,
            Map.of("action", "respond", "text", "critical security breach: rotate every production credential now"));
        held += send(bus, out, "planner-2", Priority.CRITICAL, MessageType.COMMAND,
            Map.of("action", "deploy", "release", "4.2.0", "target", "production"));
        held += send(bus, out, "planner-1", Priority.CRITICAL, MessageType.TASK_REQUEST,
            Map.of("action", "transfer", "amount", 250_000, "currency", "EUR", "note", "<b>urgent</b> \"quarter-end\" payment"));
        held += send(bus, out, "planner-2", Priority.LOW, MessageType.EVENT, Map.of("text", "hello world"));

        final String token = reviewerToken(REVIEWER);
        out.println();
        out.println("eab serve --demo: " + held + " messages held for review (tenant '" + TENANT + "').");
        out.println("  console:  " + baseUrl + "/console/   (paste the token below when asked)");
        out.println("  token:    " + token);
        out.println("            reviewer '" + REVIEWER + "', valid " + TokenMinter.DEFAULT_TTL.toHours() + " h, signed with "
            + (generatedSecret ? "a secret generated for this run" : "the configured " + BearerAuth.ENV_HS256_SECRET));
        out.println("  CLI:      EAB_REVIEWER_TOKEN=<token> ./eab deliberations list --url " + baseUrl);
        return held;
    }

    private static int send(final AgentBus bus, final PrintStream out, final String from, final Priority priority, final MessageType type,
        final Map<String, Object> content)
    {
        final AgentMessage message = AgentMessage.builder().fromAgent(from).toAgent("executor-1").tenantId(TENANT)
            .messageType(type).priority(priority).content(content).build();
        try
        {
            final ValidationResult result = bus.send(message).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
            final boolean held = result.decision() == Decision.HOLD;
            out.println("  sent " + message.messageId() + " (" + type.value() + ", " + priority.name().toLowerCase(Locale.ROOT) + "): "
                + (held ? "held as deliberation " + result.metadata().get("deliberation_id") : result.decision().name().toLowerCase(Locale.ROOT)));
            return held ? 1 : 0;
        }
        catch (final Exception e)
        {
            out.println("  sent " + message.messageId() + ": failed: " + ThrowableText.message(e));
            return 0;
        }
    }
}
