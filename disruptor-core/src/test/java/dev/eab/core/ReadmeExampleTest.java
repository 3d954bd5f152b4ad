package dev.eab.core;

import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Compiles and runs the README's Java example exactly as written, so the README cannot rot. */
class ReadmeExampleTest
{
    @Test
    void readmeExampleCompilesAndDelivers() throws Exception
    {
        final String readme = Files.readString(Path.of("..", "README.md"));
        final int start = readme.indexOf("```java\n");
        assertTrue(start >= 0, "README has no ```java block");
        final String source = readme.substring(start + 8, readme.indexOf("```", start + 8));
        assertTrue(source.lines().count() <= 25, "README example should stay short");

        final Path dir = Files.createTempDirectory("readme-example");
        final Path file = dir.resolve("QuickStart.java");
        Files.writeString(file, source);
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int rc = javac.run(null, null, diagnostics, "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), file.toString());
        assertEquals(0, rc, "README example does not compile:\n" + diagnostics);

        final PrintStream original = System.out;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader()))
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loader.loadClass("QuickStart").getMethod("main", String[].class).invoke(null, (Object)new String[0]);
        }
        finally
        {
            System.setOut(original);
        }
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ALLOW DELIVERED []"), printed);
        assertTrue(printed.contains("executor got {action=rebalance}"), printed);
    }
}
