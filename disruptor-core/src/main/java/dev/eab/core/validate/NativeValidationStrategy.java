package dev.eab.core.validate;

import dev.eab.core.ffi.EngineConfigDescriptor;
import dev.eab.core.ffi.NativeBindings;
import dev.eab.core.ffi.NativeUnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.eab.core.ffi.EngineConfigDescriptor.*;

/**
 * Validation in Rust: one {@code eab_validate} downcall per message on the off-heap header. The engine
 * is built once from the same {@link PolicyTable} the Java twin uses. Owns the native engine: call
 * {@link #close()} once, after the bus thread has stopped using it.
 */
public final class NativeValidationStrategy implements ValidationStrategy, AutoCloseable
{
    /** The live engine; {@link MemorySegment#NULL} once closed, so a late call gets EAB_ERR_NULL_ARGUMENT, not freed memory. */
    private MemorySegment engine;
    private boolean closed;

    /** @throws NativeUnavailableException when the library is absent or rejects the configuration. */
    public NativeValidationStrategy(final String constitutionalHash, final int maxMessageSizeBytes, final PolicyTable policy)
    {
        this(constitutionalHash, maxMessageSizeBytes, policy, null);
    }

    /**
     * @param maci the MACI tables for {@code eab_engine_new_maci}, or null for an engine without MACI.
     * @throws NativeUnavailableException when the library is absent or rejects the configuration.
     */
    public NativeValidationStrategy(
        final String constitutionalHash, final int maxMessageSizeBytes, final PolicyTable policy, final dev.eab.core.maci.MaciTables maci)
    {
        if (!NativeBindings.available())
        {
            throw new NativeUnavailableException("library not loadable", null);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final int n = policy.ruleCount();
            final MemorySegment rules = arena.allocate((long)Math.max(n, 1) * RULE_LENGTH, 8);
            for (int i = 0; i < n; i++)
            {
                final long base = (long)i * RULE_LENGTH;
                rules.set(ValueLayout.JAVA_LONG, base + RULE_TENANT_MASK_OFFSET, policy.tenantMask(i));
                rules.set(ValueLayout.JAVA_LONG, base + RULE_SENDER_TYPE_MASK_OFFSET, policy.senderTypeMask(i));
                rules.set(ValueLayout.JAVA_LONG, base + RULE_REQUIRED_CAPABILITIES_OFFSET, policy.requiredCapabilities(i));
                rules.set(ValueLayout.JAVA_INT, base + RULE_MESSAGE_TYPE_MASK_OFFSET, policy.messageTypeMask(i));
                rules.set(ValueLayout.JAVA_INT, base + RULE_EFFECT_OFFSET, policy.effect(i));
            }
            final MemorySegment config = arena.allocate(EngineConfigDescriptor.CONFIG_LENGTH, 8);
            MemorySegment.copy(JavaValidationStrategy.hashBytes(constitutionalHash), 0, config, ValueLayout.JAVA_BYTE, CONFIG_HASH_OFFSET, 16);
            config.set(ValueLayout.JAVA_INT, CONFIG_MAX_MESSAGE_SIZE_OFFSET, maxMessageSizeBytes);
            config.set(ValueLayout.JAVA_INT, CONFIG_DEFAULT_EFFECT_OFFSET, policy.defaultEffect());
            config.set(ValueLayout.ADDRESS, CONFIG_RULES_OFFSET, rules);
            config.set(ValueLayout.JAVA_INT, CONFIG_RULE_COUNT_OFFSET, n);
            // The engine copies the rules, so the confined arena may be closed afterwards.
            if (maci == null)
            {
                engine = (MemorySegment)NativeBindings.ENGINE_NEW.invokeExact(config);
            }
            else
            {
                final MemorySegment maciConfig = arena.allocate(dev.eab.core.maci.MaciConfigDescriptor.LENGTH, 8);
                maci.writeNative(maciConfig);
                engine = (MemorySegment)NativeBindings.ENGINE_NEW_MACI.invokeExact(config, maciConfig);
            }
        }
        catch (final NativeUnavailableException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException("eab_engine_new failed: " + t, t);
        }
        if (engine.equals(MemorySegment.NULL))
        {
            throw new NativeUnavailableException("eab_engine_new rejected the configuration", null);
        }
    }

    @Override
    public int validate(final MemorySegment header)
    {
        if (header.byteSize() < MessageHeaderDescriptor.LENGTH)
        {
            // Rust would read past the end; the Java twin would throw. Refuse before crossing.
            return ERR_SHORT_HEADER;
        }
        try
        {
            return (int)NativeBindings.VALIDATE.invokeExact(engine, header);
        }
        catch (final Throwable t)
        {
            // Fail closed; the composite counts this against the native breaker.
            return ERR_DOWNCALL;
        }
    }

    /** Returned when the downcall itself threw (distinct from the library's own negative codes). */
    public static final int ERR_DOWNCALL = -100;
    /** Returned for a header segment shorter than {@link MessageHeaderDescriptor#LENGTH}. */
    public static final int ERR_SHORT_HEADER = -101;

    /** @return what {@code eab_panic_probe(shouldPanic)} returned: -2 proves a panic was caught in Rust. */
    public static int panicProbe(final boolean shouldPanic)
    {
        try
        {
            return (int)NativeBindings.PANIC_PROBE.invokeExact(shouldPanic ? 1 : 0);
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException("eab_panic_probe failed: " + t, t);
        }
    }

    @Override
    public String name()
    {
        return "native";
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            final MemorySegment freed = engine;
            engine = MemorySegment.NULL;
            NativeBindings.free(NativeBindings.ENGINE_FREE, freed, "eab_engine_free");
        }
    }
}
