package dev.eab.core.cli;

import dev.eab.core.audit.AuditChainWriter;
import dev.eab.core.audit.AuditEntry;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.Blake3Java;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./eab audit verify|tail|export} over a real chain: exit codes, the first bad record named, JSON lines. */
final class AuditMainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args) throws Exception
    {
        out.reset();
        err.reset();
        return AuditMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static void write(final Path dir, final int n)
    {
        try (AuditChainWriter w = new AuditChainWriter(dir, new Blake3Java()))
        {
            for (int i = 0; i < n; i++)
            {
                w.append(new AuditEntry(AuditKind.ACCEPT, 0, 1_000_000_000L * i, "msg-" + i + "-xyz", "conv", "agent-" + i, "acme", "v7", 0.25,
                    "accept", "cdd01ef066bc6cf2", List.of("delivery"), Map.of("recipient", "r\"quoted\"")));
            }
        }
    }

    @Test
    void verifyTailAndExport(@TempDir final Path dir) throws Exception
    {
        write(dir, 12);
        assertEquals(0, run("verify", dir.toString()));
        assertTrue(out.toString().contains("OK: 12 records"), out.toString());

        assertEquals(0, run("tail", dir.toString(), "-n", "3"));
        final String[] lines = out.toString().strip().split("\n");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[0].startsWith("#9 ") && lines[2].startsWith("#11 ") && lines[2].contains("agent=agent-11"), out.toString());

        final Path jsonl = dir.resolve("export.jsonl");
        assertEquals(0, run("export", dir.toString(), "--jsonl", "--out", jsonl.toString()));
        final List<String> rows = Files.readAllLines(jsonl);
        assertEquals(12, rows.size());
        assertTrue(rows.get(4).startsWith("{\"sequence\":4,\"kind\":\"accept\","), rows.get(4));
        assertTrue(rows.get(4).contains("\"trace_id\":\"msg-4-xyz\"") && rows.get(4).contains("\"recipient\":\"r\\\"quoted\\\"\""), rows.get(4));
        assertTrue(err.toString().contains("exported 12 record(s)"));
    }

    @Test
    void verifyNamesTheFirstBadRecordAndExitsNonZero(@TempDir final Path dir) throws Exception
    {
        write(dir, 6);
        final Path file;
        try (Stream<Path> s = Files.list(dir.resolve("chain")))
        {
            file = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        final String text = new String(bytes, StandardCharsets.ISO_8859_1);
        final int at = text.indexOf("msg-2-xyz");
        assertTrue(at > 0);
        bytes[at + 4] = '7';
        Files.write(file, bytes);
        assertEquals(1, run("verify", dir.toString()));
        assertTrue(err.toString().contains("TAMPERED at record 2"), err.toString());
        assertEquals(1, run("verify", dir.resolve("nowhere").toString()));
        assertThrows(IllegalArgumentException.class, () -> run("export", dir.toString()));
        assertThrows(IllegalArgumentException.class, () -> run("verify"));
    }
}
