package dev.eab.core.validate;

import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import dev.eab.core.ffi.NativeBindings;
import dev.eab.core.ffi.NativeFunctions;
import dev.eab.core.ffi.NativeUnavailableException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The native boundary: Rust panics come back as codes, null and bad arguments are reported rather than
 * dereferenced, a configuration the engine refuses is an exception, and the composite strategy falls back
 * to the Java twin (and opens its breaker) when native fails.
 */
class NativeBoundaryTest
{
    static final int EAB_ERR_NULL_ARGUMENT = -1;
    static final int EAB_ERR_PANIC = -2;
    static final String HASH = TestHeaders.HASH;

    static Arena arena;
    static PolicyTable policy;

    @BeforeAll
    static void setUp()
    {
        assertTrue(NativeBindings.available(), "the native library must load in this build");
        arena = Arena.ofShared();
        policy = PolicyCompiler.load(null);
    }

    @AfterAll
    static void tearDown()
    {
        arena.close();
    }

    @Test
    void abiVersionMatches() throws Throwable
    {
        assertEquals(NativeFunctions.ABI_VERSION, (int)NativeBindings.ABI_VERSION.invokeExact());
    }

    @Test
    void panicIsCaughtInRustAndTheJvmSurvives() throws Throwable
    {
        for (int i = 0; i < 5; i++)
        {
            assertEquals(EAB_ERR_PANIC, NativeValidationStrategy.panicProbe(true), "probe(1) #" + i);
            assertEquals(0, NativeValidationStrategy.panicProbe(false), "probe(0) #" + i);
            assertEquals(EAB_ERR_PANIC, (int)NativeBindings.PANIC_PROBE.invokeExact(1 + i));
            assertEquals(EAB_ERR_PANIC, (int)NativeBindings.PANIC_PROBE.invokeExact(-1));
            assertEquals(0, (int)NativeBindings.PANIC_PROBE.invokeExact(0));
        }
        // the library still works after the panics
        try (NativeValidationStrategy nat = new NativeValidationStrategy(HASH, 1024, policy))
        {
            final MemorySegment h = TestHeaders.allocate(arena);
            TestHeaders.valid(h, -1, -1, MessageType.COMMAND.ordinal(), 0);
            assertEquals(0, nat.validate(h));
        }
    }

    @Test
    void nullArgumentsAreReportedNotDereferenced() throws Throwable
    {
        try (NativeValidationStrategy nat = new NativeValidationStrategy(HASH, 1024, policy))
        {
            // A NULL (zero-length) header is refused before the downcall; Rust's own null check is exercised below.
            assertEquals(NativeValidationStrategy.ERR_SHORT_HEADER, nat.validate(MemorySegment.NULL));
            assertEquals(NativeValidationStrategy.ERR_SHORT_HEADER, nat.validate(TestHeaders.allocate(arena).asSlice(0, LENGTH - 1)));
        }
        final MemorySegment h = TestHeaders.allocate(arena);
        TestHeaders.valid(h, -1, -1, 0, 0);
        assertEquals(EAB_ERR_NULL_ARGUMENT, (int)NativeBindings.VALIDATE.invokeExact(MemorySegment.NULL, h));
        assertEquals(MemorySegment.NULL, (MemorySegment)NativeBindings.ENGINE_NEW.invokeExact(MemorySegment.NULL));
        NativeBindings.ENGINE_FREE.invokeExact(MemorySegment.NULL); // a no-op, not a crash
    }

    @Test
    void heapHeaderFailsClosedWithANegativeCode()
    {
        // eab_validate is bound critical without heap access: a heap segment is refused by the linker, which
        // the strategy reports as ERR_DOWNCALL (never a decision)
        try (NativeValidationStrategy nat = new NativeValidationStrategy(HASH, 1024, policy))
        {
            final MemorySegment heap = MemorySegment.ofArray(new long[LENGTH / 8]);
            TestHeaders.valid(heap, -1, -1, 0, 0);
            assertEquals(NativeValidationStrategy.ERR_DOWNCALL, nat.validate(heap));
        }
    }

    @Test
    void configurationsTheEngineRefusesThrow()
    {
        final List<Runnable> bad = new ArrayList<>();
        bad.add(() -> new NativeValidationStrategy(HASH, 0, policy));
        bad.add(() -> new NativeValidationStrategy(HASH, -1, policy));
        bad.add(() -> new NativeValidationStrategy(HASH, Integer.MIN_VALUE, policy));
        bad.add(() -> new NativeValidationStrategy(HASH, 1024, TestHeaders.table("bad-default", 2, new long[0], new long[0], new long[0], new int[0], new int[0])));
        bad.add(() -> new NativeValidationStrategy(HASH, 1024, TestHeaders.table("bad-default", -1, new long[0], new long[0], new long[0], new int[0], new int[0])));
        bad.add(() -> new NativeValidationStrategy(HASH, 1024, TestHeaders.table("bad-rule", 0,
            new long[] {-1, -1}, new long[] {-1, -1}, new long[] {0, 0}, new int[] {-1, -1}, new int[] {1, 7})));
        bad.add(() -> new NativeValidationStrategy("cdd01ef066bc6cf\0", 1024, policy)); // NUL in the hash
        bad.add(() -> new NativeValidationStrategy("cdd01ef066bc6cf", 1024, policy));   // 15 characters
        bad.add(() -> new NativeValidationStrategy("cdd01ef066bc6cf2x", 1024, policy)); // 17 characters
        for (int i = 0; i < bad.size(); i++)
        {
            final int n = i;
            assertThrows(NativeUnavailableException.class, bad.get(i)::run, () -> "bad configuration #" + n + " was accepted");
        }
        // and a good one after all the refusals
        try (NativeValidationStrategy ok = new NativeValidationStrategy(HASH, 1, policy))
        {
            assertEquals("native", ok.name());
        }
    }

    @Test
    void closeIsIdempotentAndValidateAfterCloseFailsClosed()
    {
        final NativeValidationStrategy nat = new NativeValidationStrategy(HASH, 1024, policy);
        final MemorySegment h = TestHeaders.allocate(arena);
        TestHeaders.valid(h, -1, -1, 0, 0);
        assertEquals(0, nat.validate(h));
        nat.close();
        nat.close();
        // must not touch the freed engine: a negative code, never a decision
        assertTrue(nat.validate(h) < 0, "validate after close must fail closed");
    }

    // ------------------------------------------------------------------ composite

    /** A native stand-in whose result the test controls; counts its calls. */
    static final class FakeNative implements ValidationStrategy
    {
        int calls;
        int failWith;
        ValidationStrategy delegate;

        FakeNative(final int failWith)
        {
            this.failWith = failWith;
        }

        @Override
        public int validate(final MemorySegment header)
        {
            calls++;
            return delegate != null ? delegate.validate(header) : failWith;
        }

        @Override
        public String name()
        {
            return "native";
        }
    }

    /** Headers with different decisions, so "equals the Java twin" means something. */
    static List<Consumer<MemorySegment>> variedHeaders()
    {
        final List<Consumer<MemorySegment>> l = new ArrayList<>();
        final int governance = MessageType.GOVERNANCE_REQUEST.ordinal();
        l.add(h -> TestHeaders.valid(h, -1, -1, MessageType.COMMAND.ordinal(), 0));                    // 0
        l.add(h -> TestHeaders.valid(h, -1, -1, governance, 0));                                       // 12: nobody-else-proposes
        l.add(h -> TestHeaders.valid(h, -1, -1, governance, policy.capabilityMask(List.of("governance")))); // 0
        l.add(h -> { TestHeaders.valid(h, -1, -1, 0, 0); TestHeaders.hash(h, "deadbeefdeadbeef", 16); });  // 2
        l.add(h -> { TestHeaders.valid(h, -1, -1, 0, 0); TestHeaders.setInt(h, HASH_LENGTH_OFFSET, -1); }); // 1
        l.add(h -> { TestHeaders.valid(h, -1, -1, 0, 0); TestHeaders.setInt(h, MESSAGE_SIZE_OFFSET, 5000); }); // 5
        l.add(h -> { TestHeaders.valid(h, -1, -1, 0, 0); TestHeaders.setInt(h, SENDER_TENANT_OFFSET, 3); });  // 10
        l.add(h -> { TestHeaders.valid(h, -1, -1, 0, 0); TestHeaders.setInt(h, FLAGS_OFFSET, 1); });          // 8
        return l;
    }

    /** A native stand-in failing on a fixed schedule of call numbers (1-based). */
    static final class ScheduledFailures implements ValidationStrategy
    {
        final java.util.function.IntPredicate failsOnCall;
        int calls;

        ScheduledFailures(final java.util.function.IntPredicate failsOnCall)
        {
            this.failsOnCall = failsOnCall;
        }

        @Override
        public int validate(final MemorySegment header)
        {
            return failsOnCall.test(++calls) ? EAB_ERR_PANIC : 0;
        }

        @Override
        public String name()
        {
            return "native";
        }
    }

    @Test
    void sparseNativeFailuresDoNotOpenTheBreakerButAFailingHalfDoes()
    {
        final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1024, policy);
        final MemorySegment h = TestHeaders.allocate(arena);
        TestHeaders.valid(h, -1, -1, 0, 0);

        // One failure in 100 calls: the last-10-calls window never reaches 50%, although successes are
        // reported lazily (only when a failure comes).
        final CompositeValidationStrategy sparse = new CompositeValidationStrategy(new ScheduledFailures(c -> c % 100 == 0), java);
        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(0, sparse.validate(h));
        }
        assertEquals(CircuitBreaker.State.CLOSED, sparse.breaker().getState());
        assertEquals(100, sparse.nativeFailures());
        assertEquals(9_900, sparse.nativeDecisions());

        // Every other call failing: 5 of the last 10 fail, the breaker opens.
        final CompositeValidationStrategy half = new CompositeValidationStrategy(new ScheduledFailures(c -> c % 2 == 0), java);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(0, half.validate(h));
        }
        assertEquals(CircuitBreaker.State.OPEN, half.breaker().getState());
        assertEquals("java", half.name());
    }

    @Test
    void compositeFallsBackToJavaAndOpensTheBreaker()
    {
        final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1024, policy);
        final FakeNative fake = new FakeNative(EAB_ERR_PANIC);
        final CompositeValidationStrategy composite = new CompositeValidationStrategy(fake, java);
        assertEquals("native", composite.name());
        final MemorySegment h = TestHeaders.allocate(arena);
        final List<Consumer<MemorySegment>> headers = variedHeaders();
        final int[] expected = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++)
        {
            headers.get(i).accept(h);
            expected[i] = java.validate(h);
        }
        assertEquals(List.of(0, 12, 0, 2, 1, 5, 10, 8), Arrays.stream(expected).boxed().toList(), "the Java twin's decisions");

        for (int call = 1; call <= 200; call++)
        {
            final int i = (call - 1) % headers.size();
            headers.get(i).accept(h);
            assertEquals(expected[i], composite.validate(h), "call " + call + ": composite must decide like the Java twin");
            if (call < CompositeValidationStrategy.MINIMUM_CALLS)
            {
                assertEquals(CircuitBreaker.State.CLOSED, composite.breaker().getState(), "call " + call);
                assertEquals(call, fake.calls);
            }
        }
        assertEquals(CircuitBreaker.State.OPEN, composite.breaker().getState());
        assertEquals(CompositeValidationStrategy.MINIMUM_CALLS, fake.calls, "native must not be called once the breaker is open");
        assertEquals(CompositeValidationStrategy.MINIMUM_CALLS, composite.nativeFailures());
        assertEquals(0, composite.nativeDecisions());
        assertEquals(200, composite.javaDecisions());
        assertEquals("java", composite.name());
        assertEquals(CompositeValidationStrategy.MINIMUM_CALLS, composite.breaker().getMetrics().getNumberOfFailedCalls());

        // half-open probe with a healthy native: back to native after MINIMUM_CALLS successes
        composite.breaker().transitionToHalfOpenState();
        fake.delegate = java;
        for (int call = 0; call < CompositeValidationStrategy.MINIMUM_CALLS; call++)
        {
            headers.get(call).accept(h);
            assertEquals(expected[call], composite.validate(h));
        }
        assertEquals(CircuitBreaker.State.CLOSED, composite.breaker().getState());
        assertEquals("native", composite.name());
        assertEquals(CompositeValidationStrategy.MINIMUM_CALLS * 2, fake.calls);
        assertEquals(CompositeValidationStrategy.MINIMUM_CALLS, composite.nativeDecisions());

        // a half-open probe that fails again re-opens it
        composite.breaker().transitionToOpenState();
        composite.breaker().transitionToHalfOpenState();
        fake.delegate = null;
        fake.failWith = NativeValidationStrategy.ERR_DOWNCALL;
        for (int call = 0; call < CompositeValidationStrategy.MINIMUM_CALLS; call++)
        {
            headers.get(call).accept(h);
            assertEquals(expected[call], composite.validate(h));
        }
        assertEquals(CircuitBreaker.State.OPEN, composite.breaker().getState());
        assertEquals("java", composite.name());
    }

    @Test
    void everyNegativeCodeCountsAsAFailure()
    {
        for (final int code : new int[] {-1, -2, -3, NativeValidationStrategy.ERR_DOWNCALL, Integer.MIN_VALUE})
        {
            final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1024, policy);
            final FakeNative fake = new FakeNative(code);
            final CompositeValidationStrategy composite = new CompositeValidationStrategy(fake, java);
            final MemorySegment h = TestHeaders.allocate(arena);
            TestHeaders.valid(h, -1, -1, MessageType.GOVERNANCE_REQUEST.ordinal(), 0);
            for (int i = 0; i < 10; i++)
            {
                assertEquals(RejectReason.POLICY_DENIED.code(), composite.validate(h), "code " + code);
            }
            assertEquals(CircuitBreaker.State.OPEN, composite.breaker().getState(), "code " + code);
            assertEquals(CompositeValidationStrategy.MINIMUM_CALLS, fake.calls, "code " + code);
        }
    }

    @Test
    void compositeWithoutNativeIsJava()
    {
        final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1024, policy);
        final CompositeValidationStrategy composite = new CompositeValidationStrategy(null, java);
        assertEquals("java", composite.name());
        final MemorySegment h = TestHeaders.allocate(arena);
        TestHeaders.valid(h, -1, -1, MessageType.GOVERNANCE_REQUEST.ordinal(), 0);
        assertEquals(RejectReason.POLICY_DENIED.code(), composite.validate(h));
        assertEquals(1, composite.javaDecisions());
        composite.close();
    }

    @Test
    void compositeOverRealNativeStaysClosedAndAgrees()
    {
        final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1024, policy);
        try (CompositeValidationStrategy composite = new CompositeValidationStrategy(new NativeValidationStrategy(HASH, 1024, policy), java))
        {
            final MemorySegment h = TestHeaders.allocate(arena);
            final List<Consumer<MemorySegment>> headers = variedHeaders();
            final int calls = 3_000;
            for (int call = 0; call < calls; call++)
            {
                headers.get(call % headers.size()).accept(h);
                assertEquals(java.validate(h), composite.validate(h));
            }
            assertEquals(calls, composite.nativeDecisions());
            assertEquals(0, composite.javaDecisions());
            assertEquals(0, composite.nativeFailures());
            assertEquals(CircuitBreaker.State.CLOSED, composite.breaker().getState());
            assertEquals("native", composite.name());

            // a heap header makes the native downcall fail: the composite still decides, via Java
            final MemorySegment heap = MemorySegment.ofArray(new long[LENGTH / 8]);
            TestHeaders.valid(heap, -1, -1, MessageType.GOVERNANCE_REQUEST.ordinal(), 0);
            assertEquals(RejectReason.POLICY_DENIED.code(), composite.validate(heap));
            assertEquals(1, composite.nativeFailures());
            assertEquals(1, composite.javaDecisions());
        }
    }
}
