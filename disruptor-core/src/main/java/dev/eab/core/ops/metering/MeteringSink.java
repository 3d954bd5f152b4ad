package dev.eab.core.ops.metering;

/**
 * Where flushed metering events go: called on the metering flusher thread (never the bus thread), one batch of at
 * most {@code batchSize} events at a time. The batch is only valid during the call. An exception is contained: it is
 * logged and counted by {@link Metering}, and the batch counts as flushed (a broken sink never stalls the queue).
 */
@FunctionalInterface
public interface MeteringSink
{
    void onBatch(MeteringBatch batch);
}
