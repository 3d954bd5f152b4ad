package dev.eab.core;

import dev.eab.api.BusConfiguration;
import dev.eab.api.NativeMode;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.core.ffi.NativeLibrary;

import java.nio.file.Path;

/**
 * Child JVM for {@code RegoPolicyBusTest}: points the native loader at a library file that does not exist, then
 * builds a bus with Rego configured (native mode AUTO, so the validator itself falls back to Java). Exits
 * {@link #REFUSED_EXIT} when the bus refuses to start, 0 when it started (the failure the test looks for).
 */
public final class RegoMissingNativeChild
{
    static final int REFUSED_EXIT = 3;

    private RegoMissingNativeChild()
    {
    }

    public static void main(final String[] args)
    {
        System.setProperty(NativeLibrary.PATH_PROPERTY, args[1]);
        try (EnhancedAgentBus bus = new EnhancedAgentBus(
            BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.AUTO).regoDir(Path.of(args[0])).build()))
        {
            System.out.println("STARTED with validator " + bus.validator().name());
            System.exit(0);
        }
        catch (final ConfigurationException e)
        {
            System.out.println("REFUSED: " + e.getMessage());
            System.exit(REFUSED_EXIT);
        }
    }
}
