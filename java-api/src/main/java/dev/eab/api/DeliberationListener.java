package dev.eab.api;

/**
 * Told when a message is held and when its deliberation reaches a final status. Called on a bus-owned
 * thread that must not block: hand work off. An exception thrown here is counted and otherwise ignored.
 */
public interface DeliberationListener
{
    /** A message was held (status UNDER_REVIEW). */
    default void onHeld(final DeliberationItem item)
    {
    }

    /** A deliberation reached a final status (approved and re-delivered, rejected, timed out). */
    default void onDecided(final DeliberationItem item)
    {
    }
}
