package dev.eab.core.validate;

import dev.eab.api.exception.PolicyEvaluationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A policy bundle compiled into a {@link NativeRegoEngine}: every {@code *.rego} file under a directory (sorted by
 * relative path, hidden files and directories skipped) plus an optional {@code data.json} at its root, prepared for
 * one rule (e.g. {@code data.eab.allow}). Loading is the cold path: it runs on the start-up or reload thread, never
 * on the bus thread, and fails with a {@link PolicyEvaluationException} whose policy path is {@code file:line:col}
 * (or {@code data.json:line:col}, or the directory for a bundle-level problem).
 *
 * <p>{@link #version()} is content-addressed (the first 16 hex characters of SHA-256 over the files' names and
 * bytes), so it names what is loaded across restarts; {@link #generation()} counts loads in this process and keys
 * the decision cache. The engine is owned by whoever holds the bundle: the loading thread until it is handed to
 * the bus thread, then the bus thread, which closes it when the next bundle replaces it.
 */
public final class RegoBundle implements AutoCloseable
{
    /** The data document's file name, at the bundle root. */
    public static final String DATA_FILE = "data.json";
    /** Most policy files in a bundle: a bundle is a handful of files, not a tree to crawl. */
    public static final int MAX_FILES = 1_000;
    /** Largest file read, bytes. */
    public static final long MAX_FILE_BYTES = 16L << 20;
    private static final Pattern LOCATION = Pattern.compile("-->\\s*(.+?):(\\d+):(\\d+)");
    private static final Pattern JSON_LOCATION = Pattern.compile("line (\\d+) column (\\d+)");

    private final Path dir;
    private final String query;
    private final String version;
    private final long generation;
    private final List<String> files;
    private final NativeRegoEngine engine;
    private final byte[] versionUtf8;

    private RegoBundle(
        final Path dir, final String query, final String version, final long generation, final List<String> files, final NativeRegoEngine engine)
    {
        this.dir = dir;
        this.query = query;
        this.version = version;
        this.generation = generation;
        this.files = List.copyOf(files);
        this.engine = engine;
        this.versionUtf8 = version.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads and compiles the bundle in {@code dir}.
     *
     * @param generation this load's number (increasing per process).
     * @throws PolicyEvaluationException naming the file and line (or the directory) of the first problem.
     * @throws dev.eab.core.ffi.NativeUnavailableException when the native library cannot be used.
     */
    public static RegoBundle load(final Path dir, final String query, final long generation)
    {
        final List<Path> regoFiles = list(dir);
        final MessageDigest sha = sha256();
        final List<String> names = new ArrayList<>();
        final NativeRegoEngine engine = new NativeRegoEngine();
        try
        {
            for (final Path f : regoFiles)
            {
                final String name = dir.relativize(f).toString().replace('\\', '/');
                final byte[] bytes = read(f, name);
                digest(sha, name, bytes);
                final String error = engine.addPolicy(name, utf8(bytes, name));
                if (error != null)
                {
                    throw located(error, name, dir);
                }
                names.add(name);
            }
            final Path data = dir.resolve(DATA_FILE);
            if (Files.isRegularFile(data))
            {
                final byte[] bytes = read(data, DATA_FILE);
                digest(sha, DATA_FILE, bytes);
                final String error = engine.addData(utf8(bytes, DATA_FILE));
                if (error != null)
                {
                    final Matcher m = JSON_LOCATION.matcher(error);
                    throw new PolicyEvaluationException(m.find() ? DATA_FILE + ":" + m.group(1) + ":" + m.group(2) : DATA_FILE,
                        lastLine(error));
                }
                names.add(DATA_FILE);
            }
            final String error = engine.prepare(query);
            if (error != null)
            {
                final PolicyEvaluationException located = located(error, null, dir);
                throw new PolicyEvaluationException(located.policyPath(), "cannot prepare " + query + ": " + located.reason());
            }
            final String version = HexFormat.of().formatHex(sha.digest(), 0, 8);
            return new RegoBundle(dir, query, version, generation, names, engine);
        }
        catch (final RuntimeException e)
        {
            engine.close();
            throw e;
        }
    }

    /** @return the bundle directory. */
    public Path dir()
    {
        return dir;
    }

    /** @return the rule every decision queries. */
    public String query()
    {
        return query;
    }

    /** @return 16 hex characters naming the bundle's content. */
    public String version()
    {
        return version;
    }

    /** @return this load's number in the process (the decision cache's key). */
    public long generation()
    {
        return generation;
    }

    /** @return the files loaded, relative to the directory, in load order ({@code data.json} last). */
    public List<String> files()
    {
        return files;
    }

    /** @return the engine (owned by the holder of the bundle; see the class comment). */
    public NativeRegoEngine engine()
    {
        return engine;
    }

    /** @return {@link #version()} as UTF-8, for the compact input (no allocation per message). */
    byte[] versionUtf8()
    {
        return versionUtf8;
    }

    @Override
    public void close()
    {
        engine.close();
    }

    @Override
    public String toString()
    {
        return "RegoBundle[" + dir + " " + query + " version " + version + " generation " + generation + " files " + files + "]";
    }

    private static List<Path> list(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new PolicyEvaluationException(dir.toString(), "not a directory (EAB_REGO_DIR / regoDir names the bundle directory)");
        }
        final List<Path> found;
        try (Stream<Path> walk = Files.walk(dir))
        {
            found = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".rego") && !hidden(dir, p))
                .sorted((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()))
                .limit(MAX_FILES + 1L)
                .toList();
        }
        catch (final IOException | java.io.UncheckedIOException e)
        {
            throw new PolicyEvaluationException(dir.toString(), "cannot list the bundle: " + e.getMessage());
        }
        if (found.isEmpty())
        {
            throw new PolicyEvaluationException(dir.toString(), "no .rego files in the bundle");
        }
        if (found.size() > MAX_FILES)
        {
            throw new PolicyEvaluationException(dir.toString(), "more than " + MAX_FILES + " .rego files in the bundle");
        }
        return found;
    }

    private static boolean hidden(final Path dir, final Path p)
    {
        for (final Path part : dir.relativize(p))
        {
            if (part.toString().startsWith("."))
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(final Path f, final String name)
    {
        try
        {
            if (Files.size(f) > MAX_FILE_BYTES)
            {
                throw new PolicyEvaluationException(name, "larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readAllBytes(f);
        }
        catch (final IOException e)
        {
            throw new PolicyEvaluationException(name, "cannot read: " + e.getMessage());
        }
    }

    private static String utf8(final byte[] bytes, final String name)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException e)
        {
            throw new PolicyEvaluationException(name, "not UTF-8");
        }
    }

    private static void digest(final MessageDigest sha, final String name, final byte[] bytes)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(8).putInt(n.length).putInt(bytes.length).array());
        sha.update(n);
        sha.update(bytes);
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Turns the engine's text ({@code --> file:line:col}, a source excerpt, {@code error: msg}) into file:line:col + msg. */
    static PolicyEvaluationException located(final String error, final String fallbackFile, final Path dir)
    {
        final Matcher m = LOCATION.matcher(error);
        final String where = m.find() ? m.group(1) + ":" + m.group(2) + ":" + m.group(3) : fallbackFile != null ? fallbackFile : dir.toString();
        return new PolicyEvaluationException(where, lastLine(error));
    }

    private static String lastLine(final String text)
    {
        final String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
