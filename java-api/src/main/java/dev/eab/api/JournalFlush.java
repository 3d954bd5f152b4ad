package dev.eab.api;

/**
 * When journal records are forced to the disk (see {@code docs/ARCHITECTURE.md}, "Durability").
 */
public enum JournalFlush
{
    /**
     * The OS page cache (the default): a record is in the kernel's memory when the append returns, so it
     * survives the death of the process (even {@code kill -9}); the kernel writes it to disk within its
     * dirty-page interval (Linux: ~30 s), so a machine crash or power loss can lose that window.
     */
    PAGE_CACHE,
    /**
     * Also {@code msync} the journal's mapped files at the end of each ring batch (bus thread) and of each
     * ack batch (ack writer): machine-crash durable up to the last completed batch, at the cost of a
     * synchronous disk write per batch (measured in the bench). Not per message: a sender told "delivered"
     * inside a batch is on disk once that batch ends.
     */
    SYNC_PER_BATCH
}
