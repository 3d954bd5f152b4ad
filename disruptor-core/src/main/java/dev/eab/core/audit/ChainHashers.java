package dev.eab.core.audit;

import dev.eab.api.NativeMode;
import dev.eab.api.exception.ConfigurationException;

/**
 * Picks the chain hasher: Rust when the native library loads (and the mode allows it), Bouncy Castle
 * otherwise. Either gives the same bytes, so a log written by one verifies with the other.
 */
public final class ChainHashers
{
    private ChainHashers()
    {
    }

    /** @return a new hasher for one thread: native when available, Java otherwise. */
    public static ChainHasher best()
    {
        return forMode(NativeMode.AUTO);
    }

    /**
     * @return a new hasher for one thread.
     * @throws ConfigurationException when {@code mode} is REQUIRED and native BLAKE3 cannot be bound.
     */
    public static ChainHasher forMode(final NativeMode mode)
    {
        if (mode != NativeMode.OFF && Blake3Native.unavailable() == null)
        {
            return new Blake3Native();
        }
        if (mode == NativeMode.REQUIRED)
        {
            throw new ConfigurationException("native_mode", "REQUIRED but native BLAKE3 is unavailable: " + Blake3Native.unavailable());
        }
        return new Blake3Java();
    }
}
