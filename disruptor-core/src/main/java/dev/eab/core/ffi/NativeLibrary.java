package dev.eab.core.ffi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Finds and loads {@code libeab_native}: from {@code -Deab.native.path} when set, else from the jar
 * ({@code native/<os>-<arch>/}), extracted to a temporary file because {@code dlopen} needs a path.
 * Loaded once per JVM into the global arena (a library cannot be unloaded while MethodHandles exist).
 */
public final class NativeLibrary
{
    /** System property naming an explicit library file. */
    public static final String PATH_PROPERTY = "eab.native.path";

    private static SymbolLookup lookup;
    private static Throwable failure;
    private static Path loadedFrom;

    private NativeLibrary()
    {
    }

    /** @return e.g. {@code linux-x86_64}: the jar folder holding this platform's library. */
    public static String platform()
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        final String o = os.contains("linux") ? "linux" : os.contains("mac") ? "macos" : os.contains("win") ? "windows" : os;
        final String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }

    /** @return the file name of the library on this OS. */
    public static String fileName()
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("win") ? "eab_native.dll" : os.contains("mac") ? "libeab_native.dylib" : "libeab_native.so";
    }

    /**
     * Loads the library once.
     *
     * @throws NativeUnavailableException saying where it looked and why it failed.
     */
    public static synchronized SymbolLookup load()
    {
        if (lookup != null)
        {
            return lookup;
        }
        if (failure != null)
        {
            throw new NativeUnavailableException(failure.getMessage(), failure);
        }
        try
        {
            final Path path = locate();
            lookup = SymbolLookup.libraryLookup(path, Arena.global());
            loadedFrom = path;
            return lookup;
        }
        catch (final Throwable t)
        {
            failure = t;
            throw new NativeUnavailableException(t.getMessage(), t);
        }
    }

    /** @return where the library was loaded from, or null. */
    public static synchronized Path loadedFrom()
    {
        return loadedFrom;
    }

    private static Path locate() throws IOException
    {
        final String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isBlank())
        {
            final Path p = Path.of(explicit);
            if (!Files.isRegularFile(p))
            {
                throw new IOException("-D" + PATH_PROPERTY + "=" + explicit + " is not a file");
            }
            return p;
        }
        final String resource = "/native/" + platform() + "/" + fileName();
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IOException("no native library for " + platform() + " in the jar (looked for " + resource +
                    "); build with cargo (./eab does) or set -D" + PATH_PROPERTY);
            }
            final Path dir = Files.createTempDirectory("eab-native-");
            final Path file = dir.resolve(fileName());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        }
    }
}
