package dev.eab.core.ffi;

import dev.eab.api.RejectReason;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.NativeContentScanner;
import dev.eab.core.validate.MessageHeaderDescriptor;
import dev.eab.core.validate.NativeValidationStrategy;
import dev.eab.core.validate.PolicyTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Parses {@code ffi-headers/eab_native.h} (the cbindgen output the Rust side keeps current) and fails when
 * the hand-written Java bindings disagree with it: function names and signatures, struct field names,
 * order, offsets and sizes, and the {@code #define EAB_*} constants. jextract is not available, so this
 * test is what keeps {@link NativeFunctions}, {@link EngineConfigDescriptor} and
 * {@link MessageHeaderDescriptor} honest.
 */
class FfiHeaderDriftTest
{
    record CField(String name, String baseType, boolean pointer, int arrayLength) { }

    record CStruct(String name, List<CField> fields) { }

    record CFunction(String name, String returnType, List<String> parameterTypes) { }

    record Header(Map<String, String> defines, Map<String, CStruct> structs, Map<String, CFunction> functions) { }

    /** C struct name → the Java layout, the class holding its constants, the constant prefix, and field-name aliases. */
    record Binding(String struct, StructLayout layout, Class<?> constants, String prefix, Map<String, String> aliases, String lengthConstant,
        String alignmentConstant) { }

    static final List<Binding> BINDINGS = List.of(
        new Binding("EabMessageHeader", MessageHeaderDescriptor.LAYOUT, MessageHeaderDescriptor.class, "", Map.of(), "LENGTH", "ALIGNMENT"),
        new Binding("EabPolicyRule", EngineConfigDescriptor.RULE_LAYOUT, EngineConfigDescriptor.class, "RULE_", Map.of(), "RULE_LENGTH", null),
        new Binding("EabEngineConfig", EngineConfigDescriptor.CONFIG_LAYOUT, EngineConfigDescriptor.class, "CONFIG_",
            Map.of("constitutional_hash", "hash"), "CONFIG_LENGTH", null),
        new Binding("EabMaciConfig", dev.eab.core.maci.MaciConfigDescriptor.LAYOUT, dev.eab.core.maci.MaciConfigDescriptor.class, "", Map.of(),
            "LENGTH", "ALIGNMENT"),
        new Binding("EabScanResult", dev.eab.core.guard.ScanResultDescriptor.LAYOUT, dev.eab.core.guard.ScanResultDescriptor.class, "",
            Map.of(), "LENGTH", "ALIGNMENT"));

    static String headerText;
    static Header header;

    @BeforeAll
    static void load() throws IOException
    {
        final String path = System.getProperty("eab.ffiHeader");
        assertNotNull(path, "system property eab.ffiHeader (path of ffi-headers/eab_native.h) is not set");
        final Path p = Path.of(path);
        assertTrue(Files.isRegularFile(p), "eab.ffiHeader does not name a file: " + p.toAbsolutePath());
        headerText = Files.readString(p);
        header = parse(headerText);
    }

    // ------------------------------------------------------------------ parser

    static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");
    static final Pattern DEFINE = Pattern.compile("(?m)^\\s*#\\s*define\\s+(EAB_\\w+)(?:[ \\t]+(\\S[^\\n]*?))?\\s*$");
    static final Pattern STRUCT = Pattern.compile("typedef\\s+struct\\s+(\\w+)\\s*\\{(.*?)\\}\\s*(\\w+)\\s*;", Pattern.DOTALL);
    static final Pattern FIELD = Pattern.compile("(?:const\\s+)?(?:struct\\s+)?(\\w+)\\s*(\\*)?\\s*(\\w+)\\s*(?:\\[\\s*(\\d+)\\s*\\])?");
    static final Pattern FUNCTION = Pattern.compile("(?m)^[ \\t]*((?:const\\s+)?(?:struct\\s+)?\\w+\\s*\\**)\\s*\\b(eab_\\w+)\\s*\\(([^)]*)\\)\\s*;");
    static final Pattern ANY_CALL = Pattern.compile("\\beab_\\w+\\s*\\(");

    static Header parse(final String text)
    {
        final String code = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(text).replaceAll(" ")).replaceAll("");
        final Map<String, String> defines = new LinkedHashMap<>();
        Matcher m = DEFINE.matcher(code);
        while (m.find())
        {
            if (m.group(2) != null)
            {
                assertNull(defines.put(m.group(1), m.group(2).strip()), "duplicate #define " + m.group(1));
            }
        }
        final Map<String, CStruct> structs = new LinkedHashMap<>();
        m = STRUCT.matcher(code);
        while (m.find())
        {
            assertEquals(m.group(1), m.group(3), "typedef name differs from struct tag");
            final List<CField> fields = new ArrayList<>();
            for (final String decl : m.group(2).split(";"))
            {
                final String d = decl.strip().replaceAll("\\s+", " ");
                if (d.isEmpty())
                {
                    continue;
                }
                final Matcher f = FIELD.matcher(d);
                assertTrue(f.matches(), "cannot parse field '" + d + "' of " + m.group(1));
                fields.add(new CField(f.group(3), f.group(1), f.group(2) != null, f.group(4) == null ? 0 : Integer.parseInt(f.group(4))));
            }
            structs.put(m.group(1), new CStruct(m.group(1), fields));
        }
        final Map<String, CFunction> functions = new LinkedHashMap<>();
        m = FUNCTION.matcher(code);
        while (m.find())
        {
            final List<String> params = new ArrayList<>();
            final String plist = m.group(3).strip();
            if (!plist.equals("void") && !plist.isEmpty())
            {
                for (final String p : plist.split(","))
                {
                    final String t = p.strip().replaceAll("\\s+", " ");
                    // drop the parameter name: the last identifier, when more than the type is present
                    final Matcher pm = Pattern.compile("^(.*?[\\w*])\\s*\\b(\\w+)$").matcher(t);
                    assertTrue(pm.matches(), "cannot parse parameter '" + t + "' of " + m.group(2));
                    params.add(pm.group(1).strip());
                }
            }
            assertNull(functions.put(m.group(2), new CFunction(m.group(2), m.group(1).strip(), params)), "duplicate prototype " + m.group(2));
        }
        // every eab_xxx( in the code must be a parsed prototype: a declaration the regex misses is a parser bug
        int calls = 0;
        m = ANY_CALL.matcher(code);
        while (m.find())
        {
            calls++;
        }
        assertEquals(calls, functions.size(), "found " + calls + " 'eab_*(' occurrences but parsed " + functions.keySet());
        return new Header(defines, structs, functions);
    }

    // ------------------------------------------------------------------ C types

    /** @return the ValueLayout a C scalar or pointer type must be bound with; null for void. */
    static MemoryLayout layoutOf(final String cType)
    {
        final String t = cType.replace("const ", "").replace("struct ", "").strip();
        if (t.endsWith("*"))
        {
            return ValueLayout.ADDRESS;
        }
        return switch (t)
        {
            case "void" -> null;
            case "int8_t", "uint8_t" -> ValueLayout.JAVA_BYTE;
            case "int16_t", "uint16_t" -> ValueLayout.JAVA_SHORT;
            case "int32_t", "uint32_t" -> ValueLayout.JAVA_INT;
            case "int64_t", "uint64_t" -> ValueLayout.JAVA_LONG;
            // the FFM side targets 64-bit platforms only (the Rust side asserts 8-byte pointers)
            case "size_t" -> ValueLayout.JAVA_LONG;
            default -> throw new AssertionError("unmapped C type '" + cType + "'");
        };
    }

    static MemoryLayout layoutOf(final CField f)
    {
        final MemoryLayout scalar = f.pointer() ? ValueLayout.ADDRESS : layoutOf(f.baseType());
        assertNotNull(scalar, "void field " + f);
        return f.arrayLength() > 0 ? MemoryLayout.sequenceLayout(f.arrayLength(), scalar) : scalar;
    }

    /** A name-free description of a layout: carrier and size, address, or element kind and count. */
    static String kind(final MemoryLayout l)
    {
        if (l == null)
        {
            return "void";
        }
        if (l instanceof AddressLayout a)
        {
            return "address" + a.byteSize();
        }
        if (l instanceof ValueLayout v)
        {
            return v.carrier().getSimpleName() + v.byteSize();
        }
        if (l instanceof SequenceLayout s)
        {
            return kind(s.elementLayout()) + "[" + s.elementCount() + "]";
        }
        return l.getClass().getSimpleName();
    }

    record CLayout(Map<String, Long> offsets, long size, long alignment) { }

    /** Natural C alignment (the x86_64/aarch64 SysV rules): each field at a multiple of its alignment, tail padded. */
    static CLayout cLayout(final CStruct s)
    {
        final Map<String, Long> offsets = new LinkedHashMap<>();
        long offset = 0;
        long maxAlign = 1;
        for (final CField f : s.fields())
        {
            final MemoryLayout scalar = f.pointer() ? ValueLayout.ADDRESS : layoutOf(f.baseType());
            final long align = scalar.byteSize();
            final long size = scalar.byteSize() * Math.max(1, f.arrayLength());
            offset = (offset + align - 1) / align * align;
            offsets.put(f.name(), offset);
            offset += size;
            maxAlign = Math.max(maxAlign, align);
        }
        return new CLayout(offsets, (offset + maxAlign - 1) / maxAlign * maxAlign, maxAlign);
    }

    // ------------------------------------------------------------------ comparison

    /** @return every disagreement between {@code h} and the Java bindings; empty when they agree. */
    static List<String> drift(final Header h)
    {
        final List<String> problems = new ArrayList<>();
        functions(h, problems);
        for (final Binding b : BINDINGS)
        {
            struct(h, b, problems);
        }
        defines(h, problems);
        return problems;
    }

    static void functions(final Header h, final List<String> problems)
    {
        if (!new ArrayList<>(h.functions().keySet()).equals(new ArrayList<>(NativeFunctions.DESCRIPTORS.keySet())))
        {
            problems.add("functions: header declares " + h.functions().keySet() + " but NativeFunctions.DESCRIPTORS binds " +
                NativeFunctions.DESCRIPTORS.keySet() + " (same set, same order expected)");
        }
        for (final CFunction f : h.functions().values())
        {
            final FunctionDescriptor d = NativeFunctions.DESCRIPTORS.get(f.name());
            if (d == null)
            {
                continue;
            }
            final String cRet = kind(layoutOf(f.returnType()));
            final String jRet = kind(d.returnLayout().orElse(null));
            if (!cRet.equals(jRet))
            {
                problems.add(f.name() + ": C returns " + f.returnType() + " (" + cRet + ") but the descriptor returns " + jRet);
            }
            final List<String> cArgs = f.parameterTypes().stream().map(t -> kind(layoutOf(t))).toList();
            final List<String> jArgs = d.argumentLayouts().stream().map(FfiHeaderDriftTest::kind).toList();
            if (!cArgs.equals(jArgs))
            {
                problems.add(f.name() + ": C parameters " + f.parameterTypes() + " = " + cArgs + " but the descriptor has " + jArgs);
            }
        }
        // every *_FN name constant must be bound
        for (final Field c : NativeFunctions.class.getFields())
        {
            if (c.getName().endsWith("_FN") && !NativeFunctions.DESCRIPTORS.containsKey((String)value(c)))
            {
                problems.add("NativeFunctions." + c.getName() + " = " + value(c) + " has no descriptor");
            }
        }
    }

    static void struct(final Header h, final Binding b, final List<String> problems)
    {
        final CStruct s = h.structs().get(b.struct());
        if (s == null)
        {
            problems.add("struct " + b.struct() + " not found in the header (found " + h.structs().keySet() + ")");
            return;
        }
        final CLayout c = cLayout(s);
        // Java members, padding skipped, with their offsets
        final List<String> jNames = new ArrayList<>();
        final Map<String, MemoryLayout> jMembers = new LinkedHashMap<>();
        final Map<String, Long> jOffsets = new LinkedHashMap<>();
        long offset = 0;
        for (final MemoryLayout m : b.layout().memberLayouts())
        {
            if (!(m instanceof PaddingLayout))
            {
                final String name = m.name().orElse("<unnamed@" + offset + ">");
                jNames.add(name);
                jMembers.put(name, m);
                jOffsets.put(name, offset);
            }
            offset += m.byteSize();
        }
        final List<String> cNames = s.fields().stream().map(CField::name).toList();
        if (!cNames.equals(jNames))
        {
            problems.add(b.struct() + ": C fields " + cNames + " but the Java layout has " + jNames);
        }
        if (!b.layout().name().orElse("").equals(b.struct()))
        {
            problems.add(b.struct() + ": Java layout is named " + b.layout().name().orElse("<none>"));
        }
        for (final CField f : s.fields())
        {
            final long cOffset = c.offsets().get(f.name());
            final MemoryLayout j = jMembers.get(f.name());
            if (j != null)
            {
                if (!kind(layoutOf(f)).equals(kind(j)))
                {
                    problems.add(b.struct() + "." + f.name() + ": C " + f.baseType() + (f.pointer() ? " *" : "") +
                        (f.arrayLength() > 0 ? "[" + f.arrayLength() + "]" : "") + " = " + kind(layoutOf(f)) + " but Java " + kind(j));
                }
                if (jOffsets.get(f.name()) != cOffset)
                {
                    problems.add(b.struct() + "." + f.name() + ": C offset " + cOffset + " but Java layout offset " + jOffsets.get(f.name()));
                }
            }
            final String constant = b.prefix() + b.aliases().getOrDefault(f.name(), f.name()).toUpperCase(Locale.ROOT) + "_OFFSET";
            final Long value = intConstant(b.constants(), constant);
            if (value == null)
            {
                problems.add(b.struct() + "." + f.name() + ": no constant " + b.constants().getSimpleName() + "." + constant);
            }
            else if (value != cOffset)
            {
                problems.add(b.constants().getSimpleName() + "." + constant + " = " + value + " but C offset of " + f.name() + " is " + cOffset);
            }
        }
        // stale *_OFFSET constants that name no C field
        final Set<String> expected = new TreeSet<>();
        for (final CField f : s.fields())
        {
            expected.add(b.prefix() + b.aliases().getOrDefault(f.name(), f.name()).toUpperCase(Locale.ROOT) + "_OFFSET");
        }
        for (final Field k : b.constants().getFields())
        {
            if (k.getName().startsWith(b.prefix()) && k.getName().endsWith("_OFFSET") && otherPrefix(b, k.getName()) && !expected.contains(k.getName()))
            {
                problems.add(b.constants().getSimpleName() + "." + k.getName() + " matches no field of " + b.struct());
            }
        }
        if (b.layout().byteSize() != c.size())
        {
            problems.add(b.struct() + ": sizeof = " + c.size() + " (with tail padding) but the Java layout is " + b.layout().byteSize() + " bytes");
        }
        if (b.layout().byteAlignment() != c.alignment())
        {
            problems.add(b.struct() + ": C alignment " + c.alignment() + " but Java layout alignment " + b.layout().byteAlignment());
        }
        final Long length = intConstant(b.constants(), b.lengthConstant());
        if (length == null || length != c.size())
        {
            problems.add(b.constants().getSimpleName() + "." + b.lengthConstant() + " = " + length + " but sizeof(" + b.struct() + ") = " + c.size());
        }
        if (b.alignmentConstant() != null)
        {
            final Long align = intConstant(b.constants(), b.alignmentConstant());
            if (align == null || align != c.alignment())
            {
                problems.add(b.constants().getSimpleName() + "." + b.alignmentConstant() + " = " + align + " but alignof(" + b.struct() + ") = " + c.alignment());
            }
        }
    }

    /** For the prefix-less header binding: constants of other structs in the same class do not count. */
    static boolean otherPrefix(final Binding b, final String name)
    {
        if (!b.prefix().isEmpty())
        {
            return true;
        }
        for (final Binding o : BINDINGS)
        {
            if (o != b && o.constants() == b.constants() && name.startsWith(o.prefix()))
            {
                return false;
            }
        }
        return true;
    }

    static void defines(final Header h, final List<String> problems)
    {
        final Set<String> seenReasons = new LinkedHashSet<>();
        final Set<String> seenFlags = new LinkedHashSet<>();
        final Set<String> seenEffects = new LinkedHashSet<>();
        for (final Map.Entry<String, String> e : h.defines().entrySet())
        {
            final String name = e.getKey();
            final long value;
            try
            {
                value = parseC(e.getValue());
            }
            catch (final NumberFormatException x)
            {
                problems.add("#define " + name + " " + e.getValue() + ": not a number");
                continue;
            }
            final String rest = name.substring("EAB_".length());
            if (name.equals("EAB_ABI_VERSION"))
            {
                expect(problems, name, value, NativeFunctions.ABI_VERSION, "NativeFunctions.ABI_VERSION");
            }
            else if (name.equals("EAB_OK"))
            {
                expect(problems, name, value, RejectReason.NONE.code(), "RejectReason.NONE");
                seenReasons.add("NONE");
            }
            else if (name.equals("EAB_GUARD_MAX_FAMILIES"))
            {
                expect(problems, name, value, GuardrailPatterns.MAX_FAMILIES, "GuardrailPatterns.MAX_FAMILIES");
            }
            else if (name.startsWith("EAB_ERR_"))
            {
                if (name.equals("EAB_ERR_BUFFER_TOO_SMALL"))
                {
                    expect(problems, name, value, NativeContentScanner.ERR_BUFFER_TOO_SMALL, "NativeContentScanner.ERR_BUFFER_TOO_SMALL");
                }
                if (value >= 0)
                {
                    problems.add(name + " = " + value + ": call errors must be negative (the composite treats < 0 as a native failure)");
                }
                if (value == NativeValidationStrategy.ERR_DOWNCALL)
                {
                    problems.add(name + " = " + value + " collides with NativeValidationStrategy.ERR_DOWNCALL");
                }
            }
            else if (name.startsWith("EAB_FLAG_"))
            {
                final Long j = intConstant(MessageHeaderDescriptor.class, name.substring("EAB_".length()));
                if (j == null)
                {
                    problems.add(name + ": no MessageHeaderDescriptor." + rest);
                }
                else
                {
                    expect(problems, name, value, j, "MessageHeaderDescriptor." + rest);
                }
                seenFlags.add(rest);
            }
            else if (name.startsWith("EAB_EFFECT_"))
            {
                final Long j = intConstant(PolicyTable.class, rest);
                if (j == null)
                {
                    problems.add(name + ": no PolicyTable." + rest);
                }
                else
                {
                    expect(problems, name, value, j, "PolicyTable." + rest);
                }
                seenEffects.add(rest);
            }
            else if (name.equals("EAB_ANY"))
            {
                expect(problems, name, value, PolicyTable.ANY, "PolicyTable.ANY");
            }
            else if (name.equals("EAB_ANY_MESSAGE_TYPE"))
            {
                // a u32 mask: compare as 32 bits
                if ((int)value != PolicyTable.ANY_MESSAGE_TYPE || (value >>> 32) != 0)
                {
                    problems.add(name + " = " + e.getValue() + " but PolicyTable.ANY_MESSAGE_TYPE = " + Integer.toUnsignedString(PolicyTable.ANY_MESSAGE_TYPE));
                }
            }
            else if (reason(rest) != null)
            {
                final RejectReason r = reason(rest);
                expect(problems, name, value, r.code(), "RejectReason." + r);
                if (!RejectReason.isValidatorCode(r.code()))
                {
                    problems.add(name + ": RejectReason." + r + " is neither 0..MAX_NATIVE_CODE nor a MACI code");
                }
                seenReasons.add(rest);
            }
            else if (name.startsWith("EAB_MACI_"))
            {
                final Long j = intConstant(dev.eab.core.maci.MaciConfigDescriptor.class, rest);
                if (j == null)
                {
                    problems.add(name + ": no MaciConfigDescriptor." + rest);
                }
                else
                {
                    expect(problems, name, value, j, "MaciConfigDescriptor." + rest);
                }
            }
            else
            {
                problems.add("#define " + name + " has no Java counterpart this test knows; map it here");
            }
        }
        for (final RejectReason r : RejectReason.values())
        {
            if (RejectReason.isValidatorCode(r.code()) && !seenReasons.contains(r.name()))
            {
                problems.add("RejectReason." + r + " (code " + r.code() + ") has no #define in the header");
            }
        }
        for (final Field f : MessageHeaderDescriptor.class.getFields())
        {
            if (f.getName().startsWith("FLAG_") && !seenFlags.contains(f.getName()))
            {
                problems.add("MessageHeaderDescriptor." + f.getName() + " has no #define EAB_" + f.getName());
            }
        }
        for (final Field f : PolicyTable.class.getFields())
        {
            if (f.getName().startsWith("EFFECT_") && !seenEffects.contains(f.getName()))
            {
                problems.add("PolicyTable." + f.getName() + " has no #define EAB_" + f.getName());
            }
        }
    }

    static RejectReason reason(final String name)
    {
        try
        {
            return RejectReason.valueOf(name);
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
    }

    static void expect(final List<String> problems, final String define, final long c, final long java, final String javaName)
    {
        if (c != java)
        {
            problems.add("#define " + define + " = " + c + " but " + javaName + " = " + java);
        }
    }

    /** Parses a C integer literal: decimal or hex, optional sign, optional u/l suffixes; unsigned 64-bit wraps. */
    static long parseC(final String literal)
    {
        String s = literal.strip();
        if (s.startsWith("(") && s.endsWith(")"))
        {
            s = s.substring(1, s.length() - 1).strip();
        }
        s = s.replaceAll("(?i)[ul]+$", "");
        final boolean negative = s.startsWith("-");
        if (negative)
        {
            s = s.substring(1);
        }
        final long v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
        return negative ? -v : v;
    }

    static Long intConstant(final Class<?> type, final String name)
    {
        try
        {
            final Field f = type.getField(name);
            if (!Modifier.isStatic(f.getModifiers()))
            {
                return null;
            }
            final Object v = f.get(null);
            return v instanceof Number n ? n.longValue() : null;
        }
        catch (final NoSuchFieldException | IllegalAccessException e)
        {
            return null;
        }
    }

    static Object value(final Field f)
    {
        try
        {
            return f.get(null);
        }
        catch (final IllegalAccessException e)
        {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void parserFoundTheWholeHeader()
    {
        assertEquals(33, header.functions().size(), "prototypes: " + header.functions().keySet());
        assertEquals(Set.of("EabPolicyRule", "EabEngineConfig", "EabMessageHeader", "EabMaciConfig", "EabScanResult"), header.structs().keySet());
        assertEquals(19, header.structs().get("EabMessageHeader").fields().size());
        assertEquals(4, header.structs().get("EabMaciConfig").fields().size());
        assertEquals(84L, cLayout(header.structs().get("EabMaciConfig")).size());
        assertEquals(5, header.structs().get("EabPolicyRule").fields().size());
        assertEquals(5, header.structs().get("EabEngineConfig").fields().size());
        assertTrue(header.defines().size() >= 25, "defines: " + header.defines().keySet());
        assertTrue(header.defines().keySet().containsAll(List.of("EAB_ABI_VERSION", "EAB_OK", "EAB_POLICY_DENIED", "EAB_ERR_PANIC",
            "EAB_FLAG_HAS_RECIPIENT", "EAB_ANY", "EAB_ANY_MESSAGE_TYPE", "EAB_EFFECT_DENY")), "defines: " + header.defines().keySet());
        final CFunction validate = header.functions().get("eab_validate");
        assertEquals(new CFunction("eab_validate", "int32_t", List.of("const struct EabEngine *", "const struct EabMessageHeader *")), validate);
        assertEquals(List.of(), header.functions().get("eab_abi_version").parameterTypes());
        assertEquals("void", header.functions().get("eab_engine_free").returnType());
        assertEquals(new CField("hash", "uint8_t", false, 16), header.structs().get("EabMessageHeader").fields().get(0));
        assertEquals(new CField("rules", "EabPolicyRule", true, 0), header.structs().get("EabEngineConfig").fields().get(3));
        assertEquals(-2, parseC(header.defines().get("EAB_ERR_PANIC")));
        assertEquals(-1L, parseC(header.defines().get("EAB_ANY")));
        assertEquals(new CFunction("eab_guard_scan", "int32_t", List.of("const struct EabGuard *", "const uint8_t *", "size_t", "uint64_t *")),
            header.functions().get("eab_guard_scan"));
        assertEquals("struct EabGuard *", header.functions().get("eab_guard_new").returnType());
        assertEquals(64, parseC(header.defines().get("EAB_GUARD_MAX_FAMILIES")));
    }

    @Test
    void computedCLayoutsMatchTheHeaderComments()
    {
        // the header's own prose: "88 bytes, align 8", "32 bytes, align 8", "40 bytes, align 8 (4 bytes of tail padding)"
        assertEquals(new CLayout(cLayout(header.structs().get("EabMessageHeader")).offsets(), 88, 8), cLayout(header.structs().get("EabMessageHeader")));
        assertEquals(32, cLayout(header.structs().get("EabPolicyRule")).size());
        final CLayout config = cLayout(header.structs().get("EabEngineConfig"));
        assertEquals(40, config.size());
        assertEquals(32, config.offsets().get("rule_count"));
        assertEquals(80L, cLayout(header.structs().get("EabMessageHeader")).offsets().get("sender_capabilities"));
    }

    @Test
    void javaBindingsMatchTheHeader()
    {
        final List<String> problems = drift(header);
        assertTrue(problems.isEmpty(), "eab_native.h and the Java bindings disagree:\n  " + String.join("\n  ", problems));
    }

    /** Each mutation of the header text must be reported: the comparison is not vacuous. */
    @Test
    void driftIsDetected()
    {
        final Map<String, String[]> mutations = new LinkedHashMap<>();
        mutations.put("function renamed", new String[] {"int32_t eab_panic_probe(int32_t should_panic);", "int32_t eab_panic_probe2(int32_t should_panic);"});
        mutations.put("function added", new String[] {"uint32_t eab_abi_version(void);", "uint32_t eab_abi_version(void);\nint32_t eab_stats(const struct EabEngine *engine);"});
        mutations.put("parameter widened", new String[] {"int32_t eab_panic_probe(int32_t should_panic);", "int32_t eab_panic_probe(int64_t should_panic);"});
        mutations.put("parameter added", new String[] {"void eab_engine_free(struct EabEngine *engine);", "void eab_engine_free(struct EabEngine *engine, uint32_t flags);"});
        mutations.put("return type changed", new String[] {"uint32_t eab_abi_version(void);", "uint64_t eab_abi_version(void);"});
        mutations.put("return made void", new String[] {"int32_t eab_panic_probe(", "void eab_panic_probe("});
        mutations.put("header field widened", new String[] {"int32_t message_type;", "int64_t message_type;"});
        mutations.put("header field renamed", new String[] {"int32_t sender_type;", "int32_t sender_kind;"});
        mutations.put("header fields swapped", new String[] {"int32_t sender_tenant;\n  /**\n   * Bus-interned tenant id of the recipient; -1 = none.\n   */\n  int32_t recipient_tenant;",
            "int32_t recipient_tenant;\n  int32_t sender_tenant;"});
        mutations.put("reserved removed", new String[] {"uint8_t reserved;", ""});
        mutations.put("role byte widened", new String[] {"int8_t producer_role;", "int16_t producer_role;"});
        mutations.put("MACI code renumbered", new String[] {"#define EAB_MACI_CROSS_ROLE 27", "#define EAB_MACI_CROSS_ROLE 29"});
        mutations.put("MACI table resized", new String[] {"int8_t type_actions[16];", "int8_t type_actions[12];"});
        mutations.put("hash array grown", new String[] {"uint8_t hash[16];", "uint8_t hash[32];"});
        mutations.put("rule effect widened", new String[] {"uint32_t effect;", "uint64_t effect;"});
        mutations.put("config rule_count widened (same size)", new String[] {"uint32_t rule_count;", "uint64_t rule_count;"});
        mutations.put("config tail field added", new String[] {"uint32_t rule_count;", "uint32_t rule_count;\n  uint32_t flags;\n  uint32_t more;"});
        mutations.put("config pointer made scalar", new String[] {"const struct EabPolicyRule *rules;", "uint64_t rules;"});
        mutations.put("flag value changed", new String[] {"#define EAB_FLAG_HAS_RECIPIENT 8", "#define EAB_FLAG_HAS_RECIPIENT 16"});
        mutations.put("reason code changed", new String[] {"#define EAB_EXPIRED 6", "#define EAB_EXPIRED 13"});
        mutations.put("reason removed", new String[] {"#define EAB_EMPTY_CONTENT 4", ""});
        mutations.put("unknown define", new String[] {"#define EAB_OK 0", "#define EAB_OK 0\n#define EAB_NEW_THING 3"});
        mutations.put("ABI bumped", new String[] {"#define EAB_ABI_VERSION 1", "#define EAB_ABI_VERSION 2"});
        mutations.put("effect swapped", new String[] {"#define EAB_EFFECT_DENY 1", "#define EAB_EFFECT_DENY 2"});
        mutations.put("ANY narrowed", new String[] {"#define EAB_ANY 18446744073709551615ull", "#define EAB_ANY 4294967295ull"});
        mutations.put("ANY_MESSAGE_TYPE widened", new String[] {"#define EAB_ANY_MESSAGE_TYPE 4294967295", "#define EAB_ANY_MESSAGE_TYPE 18446744073709551615ull"});
        mutations.put("error made positive", new String[] {"#define EAB_ERR_PANIC -2", "#define EAB_ERR_PANIC 2"});
        mutations.put("guard scan length narrowed", new String[] {"const uint8_t *utf8, size_t len, uint64_t *matched_out", "const uint8_t *utf8, uint32_t len, uint64_t *matched_out"});
        mutations.put("guard scan result by value", new String[] {"size_t len, uint64_t *matched_out);", "size_t len);"});
        mutations.put("guard normalize removed", new String[] {"int32_t eab_guard_normalize(", "int32_t eab_guard_normalise("});
        mutations.put("guard family limit changed", new String[] {"#define EAB_GUARD_MAX_FAMILIES 64", "#define EAB_GUARD_MAX_FAMILIES 128"});
        mutations.put("buffer error renumbered", new String[] {"#define EAB_ERR_BUFFER_TOO_SMALL -4", "#define EAB_ERR_BUFFER_TOO_SMALL -5"});
        for (final Map.Entry<String, String[]> m : mutations.entrySet())
        {
            final String from = m.getValue()[0];
            assertTrue(headerText.contains(from), m.getKey() + ": the header no longer contains '" + from + "'; update the mutation");
            final String mutated = headerText.replace(from, m.getValue()[1]);
            List<String> problems;
            try
            {
                problems = drift(parse(mutated));
            }
            catch (final AssertionError e)
            {
                problems = List.of("parser: " + e.getMessage());
            }
            assertFalse(problems.isEmpty(), m.getKey() + ": drift not detected");
        }
    }
}
