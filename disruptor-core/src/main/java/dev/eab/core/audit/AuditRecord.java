package dev.eab.core.audit;

/**
 * A decoded record of the audit chain: its place in the chain, its content and the chain hash stored with it.
 *
 * @param sequence the record number, from 0, without gaps.
 * @param entry    the decision.
 * @param hash     the stored chain hash, {@code BLAKE3(previous hash || record bytes)}, 32 bytes.
 */
public record AuditRecord(long sequence, AuditEntry entry, byte[] hash)
{
    /** @return the stored hash in lower-case hex. */
    public String hashHex()
    {
        return java.util.HexFormat.of().formatHex(hash);
    }
}
