package dev.eab.api.exception;

/**
 * Thrown when the ring buffer or an agent inbox is full and the backpressure policy is REJECT.
 * Not in the Python original.
 */
public class BackpressureException extends BusOperationException
{
    private final String resource;
    private final int capacity;
    private final String policy;

    /**
     * @param resource what is full, e.g. {@code "ring"} or an inbox name.
     * @param capacity its capacity.
     * @param policy   the backpressure policy in force, e.g. {@code "REJECT"}.
     */
    public BackpressureException(final String resource, final int capacity, final String policy)
    {
        super(
            "Backpressure: " + resource + " is full (capacity " + capacity + ", policy " + policy + ")",
            detailsOf("resource", resource, "capacity", capacity, "policy", policy));
        this.resource = resource;
        this.capacity = capacity;
        this.policy = policy;
    }

    /** @return what is full. */
    public String resource()
    {
        return resource;
    }

    /** @return its capacity. */
    public int capacity()
    {
        return capacity;
    }

    /** @return the backpressure policy in force. */
    public String policy()
    {
        return policy;
    }
}
