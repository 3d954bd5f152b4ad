package dev.eab.core.validate;

import dev.eab.api.exception.PolicyEvaluationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Loading real bundle directories through the native engine: versions, file order, and errors with file and line. */
class RegoBundleTest
{
    @BeforeAll
    static void nativeLibrary()
    {
        assertTrue(NativeRegoEngine.available(), "the native library with eab_rego_* is built by this module's build");
    }

    @Test
    void loadsEveryRegoFileAndTheDataDocument(@TempDir final Path dir) throws Exception
    {
        RegoFixtures.bundle(dir);
        RegoFixtures.write(dir.resolve("lib/helpers.rego"), "package eab.lib\n\nimport rego.v1\n\nis_command if input.message_type == \"command\"\n");
        RegoFixtures.write(dir.resolve(".hidden/ignored.rego"), "this is not rego");
        try (RegoBundle b = RegoBundle.load(dir, "data.eab.allow", 1))
        {
            assertEquals(List.of("allow.rego", "lib/helpers.rego", "data.json"), b.files());
            assertEquals(16, b.version().length());
            assertEquals("true", b.engine().evalJson("data.eab.allow",
                "{\"sender\":\"alice\",\"sender_role\":\"executive\",\"message_type\":\"command\",\"recipient\":\"bob\"}"));
            assertEquals("false", b.engine().evalJson("data.eab.allow",
                "{\"sender\":\"mallory\",\"sender_role\":\"executive\",\"message_type\":\"command\",\"recipient\":\"bob\"}"), "data.json was loaded");
        }
    }

    @Test
    void versionNamesTheContent(@TempDir final Path a, @TempDir final Path b) throws Exception
    {
        RegoFixtures.bundle(a);
        RegoFixtures.bundle(b);
        final String va;
        try (RegoBundle x = RegoBundle.load(a, "data.eab.allow", 1); RegoBundle y = RegoBundle.load(b, "data.eab.allow", 2))
        {
            va = x.version();
            assertEquals(va, y.version(), "same files, same version, whatever the generation");
        }
        Files.writeString(b.resolve("data.json"), "{\"blocked_senders\": {}}");
        try (RegoBundle y = RegoBundle.load(b, "data.eab.allow", 3))
        {
            assertNotEquals(va, y.version(), "the data document is part of the version");
        }
    }

    @Test
    void aParseErrorNamesFileAndLine(@TempDir final Path dir)
    {
        RegoFixtures.bundle(dir);
        RegoFixtures.write(dir.resolve("zz-broken.rego"), "package eab\n\nimport rego.v1\n\ndeny if {\n    input.sender ==\n}\n");
        final PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> RegoBundle.load(dir, "data.eab.allow", 1));
        assertTrue(e.policyPath().startsWith("zz-broken.rego:7:"), e.policyPath());
        assertTrue(e.getMessage().contains("zz-broken.rego:7:"), e.getMessage());
        assertFalse(e.reason().isBlank());
    }

    @Test
    void aDataErrorNamesLineAndColumn(@TempDir final Path dir)
    {
        RegoFixtures.bundle(dir, RegoFixtures.ALLOW_POLICY, "{\n  \"blocked_senders\": {\n    \"mallory\": tru, \"x\": true\n  }\n}\n");
        final PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> RegoBundle.load(dir, "data.eab.allow", 1));
        assertTrue(e.policyPath().startsWith("data.json:3:"), e.policyPath() + " / " + e.reason());
    }

    @Test
    void aRuleThatDoesNotExistOrACompileErrorFailsTheLoad(@TempDir final Path dir)
    {
        RegoFixtures.bundle(dir);
        final PolicyEvaluationException missing = assertThrows(PolicyEvaluationException.class, () -> RegoBundle.load(dir, "data.eab.nope", 1));
        assertTrue(missing.reason().contains("data.eab.nope"), missing.reason());
        RegoFixtures.write(dir.resolve("undefined-fn.rego"), "package eab\n\nimport rego.v1\n\nx if no_such_function(input.sender)\n");
        final PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> RegoBundle.load(dir, "data.eab.allow", 1));
        assertTrue(e.policyPath().startsWith("undefined-fn.rego:5:"), e.policyPath() + " / " + e.reason());
    }

    @Test
    void aDirectoryWithoutPoliciesIsRefused(@TempDir final Path dir)
    {
        assertTrue(assertThrows(PolicyEvaluationException.class, () -> RegoBundle.load(dir, "data.eab.allow", 1)).reason().contains("no .rego"));
        assertTrue(assertThrows(PolicyEvaluationException.class, () -> RegoBundle.load(dir.resolve("absent"), "data.eab.allow", 1)).reason()
            .contains("not a directory"));
    }
}
