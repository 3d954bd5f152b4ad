package dev.eab.core.ops;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /deliberations/events} read off a raw socket in front of a real governed bus: a held event, then its
 * decided event, in order, with the item's JSON; heartbeats while idle; 401 without a token. The slow-subscriber
 * rule on its own: the listener side never waits however stuck the writer is, and an overflowing subscriber is cut off.
 */
class DeliberationEventsTest
{
    private static final long HEARTBEAT_MS = 200;
    private static final int READ_TIMEOUT_MS = 30_000;   // hang bound, not a timing check

    private GovernedBus governed;
    private OpsServer server;
    private DeliberationEvents events;

    @BeforeEach
    void start() throws Exception
    {
        governed = new GovernedBus();
        server = new OpsServer("127.0.0.1", 0);
        events = new DeliberationEvents(governed.bus.deliberations(), HEARTBEAT_MS, DeliberationEvents.QUEUE_CAPACITY);
        new DeliberationRoutes(governed.bus.deliberations(), TestTokens.hs256Auth(), events).register(server);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        governed.close();
    }

    /** An HTTP/1.1 GET on a raw socket; returns the reader positioned after the response headers. */
    private Stream open(final String token) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        final OutputStream out = socket.getOutputStream();
        out.write(("GET /deliberations/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        final String status = in.readLine();
        final List<String> headers = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine())
        {
            headers.add(line.toLowerCase(java.util.Locale.ROOT));
        }
        return new Stream(socket, in, status, headers);
    }

    private record Stream(Socket socket, BufferedReader in, String status, List<String> headers) implements AutoCloseable
    {
        /** @return the next SSE line, skipping chunk-size lines of the chunked encoding. */
        String line() throws IOException
        {
            while (true)
            {
                final String line = in.readLine();
                if (line == null || !line.matches("[0-9a-fA-F]+"))
                {
                    return line;
                }
            }
        }

        /** @return the next event's fields (id, event, data), skipping comments and the retry field. */
        Map<String, String> event() throws IOException
        {
            final Map<String, String> fields = new java.util.LinkedHashMap<>();
            for (String line = line(); line != null; line = line())
            {
                if (line.isEmpty())
                {
                    if (fields.containsKey("event"))
                    {
                        return fields;
                    }
                    continue;
                }
                if (line.startsWith(":") || line.startsWith("retry:"))
                {
                    continue;
                }
                final int colon = line.indexOf(':');
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            return null;
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    @Test
    void heldThenDecidedEventsArriveInOrderOverARealSocket() throws Exception
    {
        try (Stream stream = open(TestTokens.reviewer("alice")))
        {
            assertEquals("HTTP/1.1 200 OK", stream.status());
            assertTrue(stream.headers().contains("content-type: text/event-stream; charset=utf-8"), stream.headers().toString());
            assertEquals("retry: " + DeliberationEvents.RETRY_MS, stream.line());
            assertEquals(": connected", stream.line());
            awaitSubscribers(1);

            final String id = governed.holdBySend(AgentMessage.builder().messageType(MessageType.COMMAND).content(Map.of("action", "wire")));
            final Map<String, String> held = stream.event();
            assertEquals("held", held.get("event"));
            assertEquals("1", held.get("id"));
            final Map<String, Object> heldItem = com.nimbusds.jose.util.JSONObjectUtils.parse(held.get("data"));
            assertEquals(id, heldItem.get("id"));
            assertEquals("under_review", heldItem.get("status"));
            assertEquals("planner-1", heldItem.get("sender"));

            governed.bus.deliberations().reject(id, "alice", "no");
            final Map<String, String> decided = stream.event();
            assertEquals("decided", decided.get("event"));
            assertEquals("2", decided.get("id"));
            final Map<String, Object> decidedItem = com.nimbusds.jose.util.JSONObjectUtils.parse(decided.get("data"));
            assertEquals(id, decidedItem.get("id"));
            assertEquals("rejected", decidedItem.get("status"));
            assertEquals("alice", decidedItem.get("reviewer"));
            // The count follows the write that delivered the event: the client may read it a moment earlier.
            awaitMetric("events_sent", 2L);
        }
    }

    @Test
    void anIdleStreamCarriesHeartbeatComments() throws Exception
    {
        try (Stream stream = open(TestTokens.reviewer("alice")))
        {
            assertEquals("retry: " + DeliberationEvents.RETRY_MS, stream.line());
            assertEquals(": connected", stream.line());
            String line = stream.line();
            while (line != null && line.isEmpty())
            {
                line = stream.line();
            }
            assertEquals(": heartbeat", line);
        }
    }

    @Test
    void noTokenIs401AndAJudgeTokenIs403() throws Exception
    {
        try (Stream stream = open(null))
        {
            assertEquals("HTTP/1.1 401 Unauthorized", stream.status());
        }
        try (Stream stream = open(JudicialVoteRoutesBusTest.judgeToken("judge-1")))
        {
            assertEquals("HTTP/1.1 403 Forbidden", stream.status());
        }
        assertEquals(0L, events.metrics().get("subscribers"));
    }

    @Test
    void aClosedClientIsForgottenAndItsListenerRemoved() throws Exception
    {
        try (Stream stream = open(TestTokens.reviewer("alice")))
        {
            assertEquals("HTTP/1.1 200 OK", stream.status());
            awaitSubscribers(1);
        }
        // The next heartbeat write fails on the closed socket and the stream ends.
        awaitSubscribers(0);
    }

    @Test
    void aSlowSubscriberNeverBlocksTheListenerAndIsCutOff() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch writing = new CountDownLatch(2);
        // An output whose second write (the first event) blocks until released: a client that stopped reading.
        final OutputStream stuck = new OutputStream()
        {
            @Override
            public void write(final int b)
            {
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException
            {
                writing.countDown();
                if (writing.getCount() == 0)
                {
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException e)
                    {
                        throw new IOException(e);
                    }
                }
            }
        };
        final int capacity = 4;
        final int[] overflows = new int[1];
        final DeliberationEvents.Subscriber subscriber = new DeliberationEvents.Subscriber(capacity, () -> overflows[0]++);
        final DeliberationEvents pumpOwner = new DeliberationEvents(new InMemoryDeliberations(), 60_000, capacity);
        final CompletableFuture<Void> pump = CompletableFuture.runAsync(() ->
        {
            try
            {
                pumpOwner.pump(subscriber, stuck);
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
        });
        final DeliberationItem item = new InMemoryDeliberations().hold(AgentMessage.builder().fromAgent("a").toAgent("b").tenantId("t")
            .messageType(MessageType.QUERY).content(Map.of("x", 1)).build(), 0.9, Map.of());
        subscriber.onHeld(item);
        assertTrue(writing.await(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the writer is stuck in its first event");
        // The writer is stuck; the listener side must still return at once for every call (it would block the queue's thread).
        for (int i = 0; i < 1_000; i++)
        {
            subscriber.onDecided(item);
        }
        assertTrue(subscriber.overflowed());
        assertEquals(1, overflows[0], "counted once");
        assertFalse(pump.isDone(), "the writer is still stuck in its write");
        release.countDown();
        assertNull(pump.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS), "once the write returns the stream ends, sending nothing more");
    }

    private void awaitSubscribers(final long expected) throws InterruptedException
    {
        awaitMetric("subscribers", expected);
    }

    private void awaitMetric(final String name, final long expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS);
        while (!Long.valueOf(expected).equals(events.metrics().get(name)) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(expected, events.metrics().get(name));
    }
}
