package dev.eab.bench;

import java.util.Map;

/**
 * One series of the open-loop benchmark: something that carries a message from the producer thread to
 * a recipient handler, which calls {@link LatencySink#onDelivered(long)} with the intended send time.
 */
public interface SystemUnderTest extends AutoCloseable
{
    /** Size of the payload every series carries. */
    int PAYLOAD_BYTES = 64;
    /** Ring / queue capacity of every series (the bus's default ring size). */
    int CAPACITY = 16_384;

    /** @return the wait strategy of the delivery thread, for the results. */
    String waitStrategy();

    /** Builds and starts the transport and its delivery thread. */
    void start();

    /**
     * Producer thread only: sends one message carrying {@code intendedNanos}; when the ring or queue is
     * full it spins and retries (counted in {@link #retries()}) rather than dropping.
     */
    void send(long intendedNanos);

    /** @return producer spins on a full ring/queue so far (producer thread). */
    long retries();

    /** @return messages refused by validation so far (should stay 0). */
    long rejected();

    /** @return extra facts for the results (validator actually used, decisions, ...); called after the run. */
    Map<String, String> details();

    @Override
    void close();

    /** @return a 64-byte payload with a recognisable pattern. */
    static byte[] payload()
    {
        final byte[] p = new byte[PAYLOAD_BYTES];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (byte)('a' + i % 26);
        }
        return p;
    }
}
