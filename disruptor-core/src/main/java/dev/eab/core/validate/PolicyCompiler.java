package dev.eab.core.validate;

import dev.eab.api.MessageType;
import dev.eab.api.exception.PolicyEvaluationException;
import dev.eab.api.exception.PolicyNotFoundException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a YAML policy into a {@link PolicyTable}. The format (see {@code docs/ARCHITECTURE.md}):
 * <pre>
 * version: "1"
 * default: allow            # or deny: the effect when no rule matches
 * rules:                    # first match wins
 *   - name: governors-propose
 *     effect: allow
 *     message_types: [governance_request]
 *     required_capabilities: [governance]   # the sender must hold all of them
 *   - name: nobody-else-proposes
 *     effect: deny
 *     message_types: [governance_request]
 *     tenants: [acme]        # optional; absent = any tenant
 *     sender_types: [worker] # optional; absent = any type
 * </pre>
 * Unknown keys, unknown message types and wrong value types are errors naming the rule: a policy that
 * does not say what its author meant must not load.
 */
public final class PolicyCompiler
{
    /** Classpath location of the policy used when none is configured. */
    public static final String DEFAULT_POLICY_RESOURCE = "/dev/eab/core/validate/default-policy.yaml";
    private static final Set<String> RULE_KEYS = Set.of("name", "effect", "tenants", "sender_types", "message_types", "required_capabilities");
    private static final Set<String> TOP_KEYS = Set.of("version", "default", "rules");
    private static final Set<String> DIMENSION_KEYS = Set.of("tenants", "sender_types", "message_types", "required_capabilities");

    private PolicyCompiler()
    {
    }

    /** @return the compiled policy from {@code file}, or the embedded default when {@code file} is null. */
    public static PolicyTable load(final Path file)
    {
        if (file == null)
        {
            try (InputStream in = PolicyCompiler.class.getResourceAsStream(DEFAULT_POLICY_RESOURCE))
            {
                if (in == null)
                {
                    throw new PolicyNotFoundException(DEFAULT_POLICY_RESOURCE);
                }
                return compile(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_POLICY_RESOURCE);
            }
            catch (final IOException e)
            {
                throw new PolicyEvaluationException(DEFAULT_POLICY_RESOURCE, e.toString());
            }
        }
        if (!Files.isRegularFile(file))
        {
            throw new PolicyNotFoundException(file.toString());
        }
        try
        {
            return compile(Files.readString(file), file.toString());
        }
        catch (final IOException e)
        {
            throw new PolicyEvaluationException(file.toString(), e.toString());
        }
    }

    /**
     * @param source where the text came from, for error messages.
     * @throws PolicyEvaluationException naming the source and the offending rule or key.
     */
    public static PolicyTable compile(final String yaml, final String source)
    {
        final Object doc;
        try
        {
            doc = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        }
        catch (final RuntimeException e)
        {
            throw new PolicyEvaluationException(source, "not valid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> top))
        {
            throw new PolicyEvaluationException(source, "the document must be a map with 'version', 'default' and 'rules'");
        }
        for (final Object k : top.keySet())
        {
            if (!TOP_KEYS.contains(String.valueOf(k)))
            {
                throw new PolicyEvaluationException(source, "unknown key '" + k + "' (expected " + TOP_KEYS + ")");
            }
        }
        final String version = top.get("version") == null ? "unversioned" : String.valueOf(top.get("version"));
        if (top.containsKey("default") && top.get("default") == null)
        {
            throw new PolicyEvaluationException(source, "'default' has no value; write allow or deny, or omit it to mean allow");
        }
        final int defaultEffect = effect(top.get("default") == null ? "allow" : String.valueOf(top.get("default")), source, "default");
        final Object rulesObj = top.get("rules");
        final List<?> rules = rulesObj == null ? List.of() : asList(rulesObj, source, "rules");

        final Map<String, Integer> tenants = new LinkedHashMap<>();
        final Map<String, Integer> senderTypes = new LinkedHashMap<>();
        final Map<String, Integer> capabilities = new LinkedHashMap<>();
        final int n = rules.size();
        final List<String> names = new ArrayList<>(n);
        final long[] tenantMask = new long[n];
        final long[] senderTypeMask = new long[n];
        final long[] requiredCaps = new long[n];
        final int[] typeMask = new int[n];
        final int[] effects = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!(rules.get(i) instanceof Map<?, ?> rule))
            {
                throw new PolicyEvaluationException(source, "rule #" + i + " must be a map");
            }
            final String name = rule.get("name") == null ? "rule-" + i : String.valueOf(rule.get("name"));
            final String where = "rule '" + name + "'";
            for (final Object k : rule.keySet())
            {
                if (!RULE_KEYS.contains(String.valueOf(k)))
                {
                    throw new PolicyEvaluationException(source, where + ": unknown key '" + k + "' (expected " + RULE_KEYS + ")");
                }
                // 'tenants:' with nothing after it is YAML null: reading it as "any" would silently widen the rule
                if (rule.get(k) == null && DIMENSION_KEYS.contains(String.valueOf(k)))
                {
                    throw new PolicyEvaluationException(source, where + ": '" + k + "' has no value; omit it to mean any");
                }
            }
            if (rule.get("effect") == null)
            {
                throw new PolicyEvaluationException(source, where + ": 'effect' (allow or deny) is required");
            }
            names.add(name);
            effects[i] = effect(String.valueOf(rule.get("effect")), source, where);
            tenantMask[i] = notAny(vocabularyMask(rule.get("tenants"), tenants, source, where, "tenants", true), rule.get("tenants"), source, where, "tenants");
            senderTypeMask[i] = notAny(vocabularyMask(rule.get("sender_types"), senderTypes, source, where, "sender_types", false),
                rule.get("sender_types"), source, where, "sender_types");
            final Object caps = rule.get("required_capabilities");
            requiredCaps[i] = caps == null ? 0L : vocabularyMask(caps, capabilities, source, where, "required_capabilities", false);
            typeMask[i] = messageTypeMask(rule.get("message_types"), source, where);
        }
        return new PolicyTable(version, defaultEffect, names, tenantMask, senderTypeMask, requiredCaps, typeMask, effects,
            tenants, senderTypes, capabilities);
    }

    /**
     * A listed dimension naming all 64 ids would compile to {@link PolicyTable#ANY}, which also matches
     * unnamed (-1) and out-of-range ids: the rule would cover more than its author listed.
     */
    private static long notAny(final long mask, final Object listed, final String source, final String where, final String key)
    {
        if (listed != null && mask == PolicyTable.ANY)
        {
            throw new PolicyEvaluationException(source, where + ": '" + key + "' names all " + PolicyTable.MAX_VOCABULARY +
                " ids, which the engine cannot tell from 'any' (it would also match unnamed values); omit it to mean any");
        }
        return mask;
    }

    private static int effect(final String text, final String source, final String where)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "allow" -> PolicyTable.EFFECT_ALLOW;
            case "deny" -> PolicyTable.EFFECT_DENY;
            default -> throw new PolicyEvaluationException(source, where + ": effect must be allow or deny, got '" + text + "'");
        };
    }

    private static long vocabularyMask(
        final Object value, final Map<String, Integer> vocabulary, final String source, final String where, final String key,
        final boolean lowercase)
    {
        if (value == null)
        {
            return PolicyTable.ANY;
        }
        long mask = 0;
        for (final Object o : asList(value, source, where + " " + key))
        {
            final String name = lowercase ? String.valueOf(o).trim().toLowerCase(Locale.ROOT) : String.valueOf(o).trim();
            Integer id = vocabulary.get(name);
            if (id == null)
            {
                if (vocabulary.size() == PolicyTable.MAX_VOCABULARY)
                {
                    throw new PolicyEvaluationException(source, where + ": more than " + PolicyTable.MAX_VOCABULARY + " distinct " + key);
                }
                id = vocabulary.size();
                vocabulary.put(name, id);
            }
            mask |= 1L << id;
        }
        if (mask == 0)
        {
            throw new PolicyEvaluationException(source, where + ": '" + key + "' is empty; omit it to mean any");
        }
        return mask;
    }

    private static int messageTypeMask(final Object value, final String source, final String where)
    {
        if (value == null)
        {
            return PolicyTable.ANY_MESSAGE_TYPE;
        }
        int mask = 0;
        for (final Object o : asList(value, source, where + " message_types"))
        {
            try
            {
                mask |= 1 << MessageType.fromValue(String.valueOf(o)).ordinal();
            }
            catch (final IllegalArgumentException e)
            {
                throw new PolicyEvaluationException(source, where + ": " + e.getMessage());
            }
        }
        if (mask == 0)
        {
            throw new PolicyEvaluationException(source, where + ": 'message_types' is empty; omit it to mean any");
        }
        return mask;
    }

    private static List<?> asList(final Object value, final String source, final String where)
    {
        if (value instanceof List<?> l)
        {
            return l;
        }
        throw new PolicyEvaluationException(source, where + " must be a list");
    }
}
