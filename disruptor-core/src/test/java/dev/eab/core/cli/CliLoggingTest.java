package dev.eab.core.cli;

import dev.eab.core.journal.JvmLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a {@code ./eab} command prints on start-up: a JVM with the commands' classpath (the test classpath, which
 * carries no binding, plus {@code target/cli-lib}) and their logging configuration ({@code src/cli/logging.properties},
 * the file the script passes) prints no SLF4J warning, none of Chronicle's INFO chatter, and one line per record.
 * A control run without the configuration shows the chatter is really there to be silenced.
 */
final class CliLoggingTest
{
    private static final Path CLI_LIB = Path.of("target", "cli-lib");
    private static final Path CLI_LOGGING = Path.of("src", "cli", "logging.properties");
    private static final long CHILD_GUARD_S = 120;

    @Test
    void theCommandsPrintOneLinePerRecordWithoutSlf4jWarningsOrChronicleChatter(@TempDir final Path tmp) throws Exception
    {
        final List<String> lines = run(tmp.resolve("with.txt"), true);

        assertTrue(lines.contains("probe: done"), () -> "probe did not finish: " + lines);
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("SLF4J:")), () -> "SLF4J warning: " + lines);
        assertFalse(lines.stream().anyMatch(l -> l.contains("net.openhft")), () -> "Chronicle INFO chatter: " + lines);
        // SLF4J reaches java.util.logging through the shipped binding, on one line.
        assertTrue(lines.contains("INFO " + CliLoggingProbe.class.getName() + ": " + CliLoggingProbe.SLF4J_TEXT), () -> "no slf4j line: " + lines);
        // The engine's own start-up lines stay, one per record (the JDK's default format takes two).
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO dev.eab.core.EnhancedAgentBus: journal: ")), () -> "no journal line: " + lines);
        assertEquals(0, lines.stream().filter(l -> l.startsWith("INFO: ")).count(), () -> "two-line records: " + lines);
    }

    @Test
    void withoutTheConfigurationChronicleChattersInTwoLineRecords(@TempDir final Path tmp) throws Exception
    {
        final List<String> lines = run(tmp.resolve("without.txt"), false);

        assertTrue(lines.contains("probe: done"), () -> "probe did not finish: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("net.openhft")), () -> "no Chronicle chatter to silence: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO: ")), () -> "no two-line records: " + lines);
    }

    private static List<String> run(final Path output, final boolean withConfiguration) throws IOException, InterruptedException
    {
        assertTrue(Files.isRegularFile(CLI_LOGGING), "missing " + CLI_LOGGING.toAbsolutePath());
        assertTrue(Files.isDirectory(CLI_LIB), "missing " + CLI_LIB.toAbsolutePath() + " (the core build copies the binding there)");
        final List<String> cmd = new ArrayList<>(JvmLauncher.command(CliLoggingProbe.class.getName(), List.of()));
        final int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, cmd.get(cp) + File.pathSeparator + CLI_LIB.toAbsolutePath() + File.separator + "*");
        if (withConfiguration)
        {
            cmd.add(cp - 1, "-Djava.util.logging.config.file=" + CLI_LOGGING.toAbsolutePath());
        }
        final Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(CHILD_GUARD_S, TimeUnit.SECONDS))
        {
            child.destroyForcibly();
        }
        final List<String> lines = Files.readAllLines(output);
        assertEquals(0, child.exitValue(), () -> "probe failed: " + lines);
        return lines;
    }
}
