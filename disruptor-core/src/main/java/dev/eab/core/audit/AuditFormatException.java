package dev.eab.core.audit;

/** A stored audit record or anchor that cannot be read: damaged, truncated or not an audit record at all. */
public final class AuditFormatException extends RuntimeException
{
    public AuditFormatException(final String message)
    {
        super(message);
    }
}
