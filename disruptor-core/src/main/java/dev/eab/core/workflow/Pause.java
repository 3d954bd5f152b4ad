package dev.eab.core.workflow;

/** The pause between attempts. An interrupt ends the pause early and is reported, never thrown. */
final class Pause
{
    private Pause()
    {
    }

    /** @return true when the pause was interrupted (the interrupt flag is then clear: the caller decides). */
    static boolean sleepMs(final long millis)
    {
        if (millis <= 0)
        {
            return Thread.interrupted();
        }
        try
        {
            Thread.sleep(millis);
            return false;
        }
        catch (final InterruptedException e)
        {
            return true;
        }
    }
}
