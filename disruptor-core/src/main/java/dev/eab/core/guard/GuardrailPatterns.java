package dev.eab.core.guard;

import dev.eab.core.ops.Json;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.eab.api.exception.ConfigurationException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scanner's pattern set: loads and validates a guardrail YAML file into immutable
 * {@link GuardrailFamily families} and writes the JSON the Rust scanner is built from
 * ({@link #toNativeJson()}). The format is documented at the top of the shipped file,
 * {@value #DEFAULT_RESOURCE}; in short:
 * <pre>
 * version: "2026.11.27-1"
 * extends: default              # user files only: add to / change the shipped set; absent = replace it
 * families:
 *   - name: prompt_injection.instruction_override
 *     category: prompt_injection  # prompt_injection | xss | sql_injection | path_traversal
 *     action: block               # block (default) | flag | off
 *     literals: [ignore all previous instructions]
 *     regexes: ['(?:ignore|disregard)[ \t\r\n]+(?:all[ \t\r\n]+)?previous[ \t\r\n]+instructions']
 *     examples: [Ignore all previous instructions.]
 * </pre>
 * Everything the Rust side checks is checked here first, with an error naming the source, the family and
 * the pattern ({@link ConfigurationException}): unknown keys, missing or duplicate names, more than
 * {@value #MAX_FAMILIES} families, a family without patterns, a literal that normalises to nothing, a
 * regex outside the {@link RegexDialect}, one RE2/J cannot compile, one that matches the empty string,
 * and a pattern whose normal form is not stable (normalising it again would change it).
 *
 * <p>Literals and regexes are stored normalised ({@link TextNormalizer}); Rust receives exactly these
 * strings and refuses any that are not already in normal form, so both engines search for the same thing.
 */
public final class GuardrailPatterns
{
    /** Classpath location of the shipped pattern set. */
    public static final String DEFAULT_RESOURCE = "/dev/eab/core/guard/default-guardrails.yaml";
    /** Most families in one set: a scan result is a {@code long} bitmask ({@code EAB_GUARD_MAX_FAMILIES}). */
    public static final int MAX_FAMILIES = 64;
    /** The only value {@code extends} accepts. */
    public static final String EXTENDS_DEFAULT = "default";

    private static final Set<String> TOP_KEYS = Set.of("version", "extends", "families");
    private static final Set<String> FAMILY_KEYS = Set.of("name", "category", "action", "description", "literals", "regexes", "examples");

    private final String version;
    private final List<GuardrailFamily> families;
    private final Map<String, GuardrailFamily> byName;
    private final long blockMask;
    private final long flagMask;
    private final long enabledMask;

    private GuardrailPatterns(final String version, final List<GuardrailFamily> families)
    {
        this.version = version;
        this.families = List.copyOf(families);
        final Map<String, GuardrailFamily> names = new LinkedHashMap<>();
        long block = 0;
        long flag = 0;
        for (final GuardrailFamily f : families)
        {
            names.put(f.name(), f);
            if (f.action() == GuardrailAction.BLOCK)
            {
                block |= f.bit();
            }
            else if (f.action() == GuardrailAction.FLAG)
            {
                flag |= f.bit();
            }
        }
        this.byName = Collections.unmodifiableMap(names);
        this.blockMask = block;
        this.flagMask = flag;
        this.enabledMask = block | flag;
    }

    /** Parsed once: the shipped file is immutable and every bus needs it. */
    private static final class Defaults
    {
        static final GuardrailPatterns INSTANCE = loadResource();

        private static GuardrailPatterns loadResource()
        {
            try (InputStream in = GuardrailPatterns.class.getResourceAsStream(DEFAULT_RESOURCE))
            {
                if (in == null)
                {
                    throw new ConfigurationException(DEFAULT_RESOURCE, "the shipped guardrail patterns are missing from the classpath");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE, false);
            }
            catch (final IOException e)
            {
                throw new ConfigurationException(DEFAULT_RESOURCE, e.toString(), e);
            }
        }
    }

    /** @return the shipped pattern set ({@value #DEFAULT_RESOURCE}). */
    public static GuardrailPatterns defaults()
    {
        return Defaults.INSTANCE;
    }

    /**
     * @param file a pattern file, or null for {@link #defaults()}.
     * @throws ConfigurationException when the file is missing, unreadable or invalid.
     */
    public static GuardrailPatterns load(final Path file)
    {
        if (file == null)
        {
            return defaults();
        }
        if (!Files.isRegularFile(file))
        {
            throw new ConfigurationException(file.toString(), "guardrail pattern file not found");
        }
        try
        {
            return parse(Files.readString(file), file.toString());
        }
        catch (final IOException e)
        {
            throw new ConfigurationException(file.toString(), e.toString(), e);
        }
    }

    /**
     * @param yaml   the file's text.
     * @param source where it came from, named in every error.
     * @throws ConfigurationException naming the source, the family and the offending key or pattern.
     */
    public static GuardrailPatterns parse(final String yaml, final String source)
    {
        return parse(yaml, source, true);
    }

    // ------------------------------------------------------------------ loading

    /** A family while it is being read: raw (not yet normalised) patterns. */
    private static final class Draft
    {
        String name;
        GuardrailCategory category;
        GuardrailAction action = GuardrailAction.BLOCK;
        String description = "";
        List<String> literals = List.of();
        List<String> regexes = List.of();
        List<String> examples = List.of();
    }

    /** @param mayExtend false for the shipped file itself, which has nothing to extend. */
    private static GuardrailPatterns parse(final String yaml, final String source, final boolean mayExtend)
    {
        final Object doc;
        try
        {
            doc = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        }
        catch (final RuntimeException e)
        {
            throw error(source, "not valid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> top))
        {
            throw error(source, "the document must be a map with 'version' and 'families'");
        }
        for (final Object k : top.keySet())
        {
            if (!TOP_KEYS.contains(String.valueOf(k)))
            {
                throw error(source, "unknown key '" + k + "' (expected " + TOP_KEYS + ")");
            }
        }
        final Object versionObj = top.get("version");
        if (versionObj == null || versionObj instanceof Map || versionObj instanceof List || String.valueOf(versionObj).isBlank())
        {
            throw error(source, "'version' is required (a string, changed on every edit)");
        }
        final String ownVersion = String.valueOf(versionObj);
        final boolean extending;
        if (top.containsKey("extends"))
        {
            if (!EXTENDS_DEFAULT.equals(top.get("extends")))
            {
                throw error(source, "'extends' must be '" + EXTENDS_DEFAULT + "' (got '" + top.get("extends") + "')");
            }
            if (!mayExtend)
            {
                throw error(source, "the shipped pattern set cannot extend anything");
            }
            extending = true;
        }
        else
        {
            extending = false;
        }
        if (!(top.get("families") instanceof List<?> entries))
        {
            throw error(source, "'families' must be a list");
        }
        if (!extending && entries.isEmpty())
        {
            throw error(source, "'families' is empty: a file without 'extends: default' replaces the shipped set and needs at least one family");
        }

        final GuardrailPatterns base = extending ? defaults() : null;
        final List<Draft> drafts = new ArrayList<>();
        final Map<String, Draft> shipped = new LinkedHashMap<>();
        if (extending)
        {
            for (final GuardrailFamily f : base.families())
            {
                final Draft d = new Draft();
                d.name = f.name();
                d.category = f.category();
                d.action = f.action();
                d.description = f.description();
                d.literals = f.literals();
                d.regexes = f.regexes();
                d.examples = f.examples();
                drafts.add(d);
                shipped.put(d.name, d);
            }
        }
        final Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++)
        {
            if (!(entries.get(i) instanceof Map<?, ?> entry))
            {
                throw error(source, "family #" + i + " must be a map");
            }
            final Object nameObj = entry.get("name");
            if (!(nameObj instanceof String name) || name.isBlank())
            {
                throw error(source, "family #" + i + ": 'name' is required (a string)");
            }
            final String where = "family '" + name + "'";
            if (!seen.add(name))
            {
                throw error(source, where + ": defined twice");
            }
            for (final Object k : entry.keySet())
            {
                if (!FAMILY_KEYS.contains(String.valueOf(k)))
                {
                    throw error(source, where + ": unknown key '" + k + "' (expected " + FAMILY_KEYS + ")");
                }
                if (entry.get(k) == null)
                {
                    throw error(source, where + ": '" + k + "' has no value");
                }
            }
            final Draft existing = shipped.get(name);
            final Draft d = existing != null ? existing : new Draft();
            d.name = name;
            if (entry.containsKey("category"))
            {
                final GuardrailCategory c = GuardrailCategory.parse(String.valueOf(entry.get("category")));
                if (c == null)
                {
                    throw error(source, where + ": category must be one of prompt_injection, xss, sql_injection, path_traversal (got '" +
                        entry.get("category") + "')");
                }
                if (existing != null && c != existing.category)
                {
                    throw error(source, where + ": cannot change the category of a shipped family (" + existing.category.yamlName() + ")");
                }
                d.category = c;
            }
            else if (existing == null)
            {
                throw error(source, where + ": 'category' is required");
            }
            if (entry.containsKey("action"))
            {
                final GuardrailAction a = GuardrailAction.parse(String.valueOf(entry.get("action")));
                if (a == null)
                {
                    throw error(source, where + ": action must be block, flag or off (got '" + entry.get("action") + "')");
                }
                d.action = a;
            }
            if (entry.containsKey("description"))
            {
                d.description = String.valueOf(entry.get("description"));
            }
            if (entry.containsKey("literals"))
            {
                d.literals = strings(entry.get("literals"), source, where, "literals");
            }
            if (entry.containsKey("regexes"))
            {
                d.regexes = strings(entry.get("regexes"), source, where, "regexes");
            }
            if (entry.containsKey("examples"))
            {
                d.examples = strings(entry.get("examples"), source, where, "examples");
            }
            if (existing == null)
            {
                drafts.add(d);
            }
        }
        if (drafts.size() > MAX_FAMILIES)
        {
            throw error(source, drafts.size() + " families; at most " + MAX_FAMILIES + " are supported (a scan result is a 64-bit mask)");
        }
        final List<GuardrailFamily> families = new ArrayList<>(drafts.size());
        for (int id = 0; id < drafts.size(); id++)
        {
            families.add(compile(id, drafts.get(id), source));
        }
        final String version = extending ? base.version() + "+" + ownVersion : ownVersion;
        return new GuardrailPatterns(version, families);
    }

    private static GuardrailFamily compile(final int id, final Draft d, final String source)
    {
        final String where = "family '" + d.name + "'";
        if (d.literals.isEmpty() && d.regexes.isEmpty())
        {
            throw error(source, where + ": needs at least one literal or regex");
        }
        final List<String> literals = new ArrayList<>(d.literals.size());
        for (final String raw : d.literals)
        {
            final String normal = TextNormalizer.normalize(raw);
            if (normal.isEmpty())
            {
                throw error(source, where + ": literal '" + raw + "' is empty after normalisation");
            }
            stable(normal, source, where + ": literal '" + raw + "'");
            literals.add(normal);
        }
        final List<String> regexes = new ArrayList<>(d.regexes.size());
        for (final String raw : d.regexes)
        {
            final String what = where + ": regex '" + raw + "'";
            String why = RegexDialect.check(raw);
            final String normal = TextNormalizer.normalize(raw);
            if (why == null && !normal.equals(raw))
            {
                why = RegexDialect.check(normal);
                if (why != null)
                {
                    why = "after normalisation to '" + normal + "': " + why;
                }
            }
            if (why != null)
            {
                throw error(source, what + ": " + why);
            }
            stable(normal, source, what);
            final Pattern compiled;
            try
            {
                compiled = Pattern.compile(normal);
            }
            catch (final PatternSyntaxException e)
            {
                throw error(source, what + ": does not compile: " + e.getMessage());
            }
            if (compiled.matcher("").find())
            {
                throw error(source, what + ": matches the empty string (it would match every text)");
            }
            regexes.add(normal);
        }
        return new GuardrailFamily(id, d.name, d.category, d.action, d.description, literals, regexes, d.examples);
    }

    /** Rust refuses a pattern that normalising again would change; say so here, with the family's name. */
    private static void stable(final String normal, final String source, final String what)
    {
        final String again = TextNormalizer.normalize(normal);
        if (!again.equals(normal))
        {
            throw error(source, what + ": its normal form '" + normal + "' is not stable (normalises again to '" + again +
                "'); write it without the characters that cause this");
        }
    }

    private static List<String> strings(final Object value, final String source, final String where, final String key)
    {
        if (!(value instanceof List<?> list))
        {
            throw error(source, where + ": '" + key + "' must be a list");
        }
        final List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            if (!(list.get(i) instanceof String s))
            {
                throw error(source, where + ": " + key + "[" + i + "] must be a string (got " + list.get(i) + "); quote it");
            }
            if (s.isEmpty())
            {
                throw error(source, where + ": " + key + "[" + i + "] is empty");
            }
            out.add(s);
        }
        return out;
    }

    private static ConfigurationException error(final String source, final String reason)
    {
        return new ConfigurationException(source, reason);
    }

    // ------------------------------------------------------------------ queries

    /** @return the set's version; {@code <shipped>+<yours>} for a file that extends the shipped set. */
    public String version()
    {
        return version;
    }

    /** @return the families in id order. */
    public List<GuardrailFamily> families()
    {
        return families;
    }

    /** @return the number of families (at most {@value #MAX_FAMILIES}). */
    public int size()
    {
        return families.size();
    }

    /** @return the family with bit {@code 1L << id}. */
    public GuardrailFamily family(final int id)
    {
        return families.get(id);
    }

    /** @return the family named {@code name}, or null. */
    public GuardrailFamily byName(final String name)
    {
        return byName.get(name);
    }

    /** @return the bits of the families whose action is {@link GuardrailAction#BLOCK}. */
    public long blockMask()
    {
        return blockMask;
    }

    /** @return the bits of the families whose action is {@link GuardrailAction#FLAG}. */
    public long flagMask()
    {
        return flagMask;
    }

    /** @return the bits of the families that are scanned for (not {@link GuardrailAction#OFF}). */
    public long enabledMask()
    {
        return enabledMask;
    }

    /** @return the names of the families whose bits are set in {@code mask}, in id order. */
    public List<String> namesOf(final long mask)
    {
        final List<String> names = new ArrayList<>(Long.bitCount(mask));
        for (final GuardrailFamily f : families)
        {
            if ((mask & f.bit()) != 0)
            {
                names.add(f.name());
            }
        }
        return names;
    }

    /**
     * @return one line per example of an enabled family that {@code scanner} does not report for its
     * family ({@code name: example}); empty when every example is caught.
     */
    public List<String> exampleFailures(final ContentScanner scanner)
    {
        final List<String> failures = new ArrayList<>();
        for (final GuardrailFamily f : families)
        {
            if (f.enabled())
            {
                for (final String example : f.examples())
                {
                    if ((scanner.scan(example) & f.bit()) == 0)
                    {
                        failures.add(f.name() + ": " + example);
                    }
                }
            }
        }
        return failures;
    }

    /**
     * @return the configuration for {@code eab_guard_new}:
     * {@code {"version":..,"families":[{"name":..,"literals":[..],"regexes":[..]},..]}} with the normalised
     * patterns, in id order. An {@link GuardrailAction#OFF} family is listed (its id must not shift) with no
     * patterns, so its bit can never be set.
     */
    public String toNativeJson()
    {
        final List<Object> list = new ArrayList<>(families.size());
        for (final GuardrailFamily f : families)
        {
            final Map<String, Object> family = new LinkedHashMap<>();
            family.put("name", f.name());
            family.put("literals", f.enabled() ? f.literals() : List.of());
            family.put("regexes", f.enabled() ? f.regexes() : List.of());
            list.add(family);
        }
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", version);
        root.put("families", list);
        return Json.compact(root);
    }

    @Override
    public String toString()
    {
        return "GuardrailPatterns[version=" + version + ", families=" + families.size() + "]";
    }
}
