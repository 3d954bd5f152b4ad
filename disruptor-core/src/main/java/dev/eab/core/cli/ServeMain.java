package dev.eab.core.cli;

import dev.eab.api.BusConfiguration;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.OpsServer;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./eab serve [--port N] [--host H]}: runs a bus configured from the environment with the ops HTTP
 * server in front of it until the process is stopped (Ctrl-C / SIGTERM close both cleanly). The packages that
 * own an endpoint register its routes here.
 */
public final class ServeMain
{
    private static final String USAGE = """
        usage: ./eab serve [--port N] [--host H]
        Runs a bus configured from the environment (see README) with the ops HTTP server
        (default 127.0.0.1:%d) until stopped with Ctrl-C or SIGTERM.""".formatted(OpsServer.DEFAULT_PORT);

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
        final EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.fromEnvironment());
        final OpsServer server = new OpsServer(options.host(), options.port());
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            bus.close();
            stopped.countDown();
        }, "eab-serve-shutdown"));
        dev.eab.core.ops.RegoRoutes.register(server, bus, System.getenv(dev.eab.core.ops.RegoRoutes.ADMIN_TOKEN_ENV));
        bus.start();
        server.start();
        System.out.println("eab serve: listening on " + server.baseUrl() + " (Ctrl-C to stop)");
        stopped.await();
    }

    /** The command line of {@code ./eab serve}. */
    record ServeOptions(String host, int port)
    {
        static ServeOptions parse(final String[] args)
        {
            String host = "127.0.0.1";
            int port = OpsServer.DEFAULT_PORT;
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
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            return new ServeOptions(host, port);
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
