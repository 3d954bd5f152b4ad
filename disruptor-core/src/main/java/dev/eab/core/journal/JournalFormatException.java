package dev.eab.core.journal;

/** A journal record that cannot be read: a torn or corrupt tail, or a file of another format. */
public final class JournalFormatException extends RuntimeException
{
    public JournalFormatException(final String message)
    {
        super(message);
    }
}
