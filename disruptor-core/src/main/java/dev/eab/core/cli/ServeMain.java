package dev.eab.core.cli;

import dev.eab.api.BusConfiguration;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.OpsEndpoints;
import dev.eab.core.demo.ServeDemo;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.ConsoleRoutes;
import dev.eab.core.ops.DeliberationRoutes;
import dev.eab.core.ops.OpsServer;
import dev.eab.core.ops.metering.MeteringConfig;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./eab serve [--port N] [--host H]}: runs a bus configured from the environment with the ops HTTP
 * server in front of it until the process is stopped (Ctrl-C / SIGTERM close both cleanly). The packages that
 * own an endpoint register its routes here.
 */
public final class ServeMain
{
    private static final String USAGE = """
        usage: ./eab serve [--port N] [--host H] [--demo]
        Runs a bus configured from the environment (see README) with the ops HTTP server
        (default 127.0.0.1:%d) until stopped with Ctrl-C or SIGTERM.
        --demo: governance on, demo agents and a few held messages; prints a reviewer token
        and the review console's URL (docs/OPERATIONS.md, "Review: tokens, console, CLI").""".formatted(OpsServer.DEFAULT_PORT);

    private ServeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ServeOptions options;
        try
        {
            options = ServeOptions.parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("serve: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        final ServeDemo demo;
        final BearerAuth auth;
        try
        {
            demo = options.demo() ? ServeDemo.fromEnvironment(System.getenv()) : null;
            auth = demo == null ? BearerAuth.fromEnvironment(System.getenv()) : demo.auth();
        }
        catch (final ConfigurationException e)
        {
            System.err.println("serve: " + e.getMessage());
            System.exit(2);
            return;
        }
        final BusConfiguration config = BusConfiguration.fromEnvironment();
        final BusConfiguration busConfig = demo == null ? config : demo.configure(config);
        final EnhancedAgentBus bus = new EnhancedAgentBus(busConfig);
        bus.metering(MeteringConfig.fromEnvironment(System.getenv()));
        final OpsServer server = new OpsServer(options.host(), options.port());
        // Metrics and health probes (health: the bus's health aggregator).
        new OpsEndpoints(bus, bus.health(), () -> bus.deliberations().pending().size()).register(server)
            .collect(new dev.eab.core.ops.AuthCollector(auth));
        // Review surface: the deliberation endpoints (bearer tokens, reviewer role) and the console.
        new DeliberationRoutes(bus.deliberations(), auth).register(server);
        new ConsoleRoutes().register(server);
        // Chaos drills (./eab chaos): admin role.
        new dev.eab.core.resilience.ChaosRoutes(bus, auth).register(server);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            bus.close();
            stopped.countDown();
        }, "eab-serve-shutdown"));
        dev.eab.core.ops.RegoRoutes.register(server, bus, auth);
        bus.start();
        server.start();
        System.out.println("eab serve: listening on " + server.baseUrl() + " (Ctrl-C to stop)");
        // What the bus ended up with and why (the environment, the default, or the fallback without the native library).
        for (final String line : dev.eab.core.ops.ConfigurationSources.describe(busConfig, System.getenv(), System.getProperty("eab.native"),
            bus.validator().name(), dev.eab.core.ops.ConfigurationSources.nativeFailure(busConfig),
            bus.contentScanner() == null ? null : bus.contentScanner().name()))
        {
            System.out.println("eab serve:   " + line);
        }
        if (!auth.hasKeys())
        {
            System.out.println("eab serve: no token keys configured (EAB_AUTH_HS256_SECRET, EAB_AUTH_PUBLIC_KEYS, EAB_AUTH_JWKS_FILE):"
                + " the deliberation endpoints refuse every request");
        }
        if (demo != null)
        {
            demo.populate(bus, server.baseUrl(), System.out);
        }
        stopped.await();
    }

    /** The command line of {@code ./eab serve}. */
    record ServeOptions(String host, int port, boolean demo)
    {
        static ServeOptions parse(final String[] args)
        {
            String host = "127.0.0.1";
            int port = OpsServer.DEFAULT_PORT;
            boolean demo = false;
            for (int i = 0; i < args.length; i++)
            {
                final String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--port" ->
                    {
                        port = parsePort(value);
                        i++;
                    }
                    case "--host" ->
                    {
                        if (value == null)
                        {
                            throw new IllegalArgumentException("--host needs a value");
                        }
                        host = value;
                        i++;
                    }
                    case "--demo" -> demo = true;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            return new ServeOptions(host, port, demo);
        }

        private static int parsePort(final String value)
        {
            try
            {
                final int port = Integer.parseInt(value);
                if (port < 0 || port > 65_535)
                {
                    throw new IllegalArgumentException("--port must be 0..65535, not " + value);
                }
                return port;
            }
            catch (final NumberFormatException | NullPointerException e)
            {
                throw new IllegalArgumentException("--port needs a number, not '" + value + "'");
            }
        }
    }
}
