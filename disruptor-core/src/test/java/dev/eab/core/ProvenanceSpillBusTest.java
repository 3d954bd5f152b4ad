package dev.eab.core;

import dev.eab.api.MaciAction;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.MaciSelfValidationException;
import dev.eab.core.maci.MaciEnforcer;
import dev.eab.core.maci.ProvenanceSpill;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static dev.eab.core.BusFixtures.config;
import static dev.eab.core.BusFixtures.send;
import static dev.eab.core.BusFixtures.started;
import static dev.eab.core.MaciBusTest.TENANT;
import static dev.eab.core.MaciBusTest.assertRejected;
import static dev.eab.core.MaciBusTest.message;
import static dev.eab.core.MaciBusTest.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MACI's provenance spill on a real bus (native and Java validators): a provenance store of 4 outputs, filled past
 * capacity, forgets its oldest entries into {@code <journal>/provenance}; a self-validation aimed at a forgotten
 * output is still refused as self-validation (not "unknown producer"), through {@code send} and through
 * {@code validateAction}, and still after a restart in which the agents register in another order (other handles).
 */
class ProvenanceSpillBusTest
{
    private static final int CAPACITY = 4;
    private static final String SELF = "Agent 'judge' cannot validate its own output (Gödel bypass prevention) [output: report-0]";

    @TempDir
    Path journal;

    private EnhancedAgentBus bus;

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private EnhancedAgentBus start(final NativeMode mode, final boolean judgeFirst)
    {
        bus = started(config(mode).enableMaci(true).maciStrictMode(true).maciOutputCapacity(CAPACITY).journalDir(journal).build());
        if (judgeFirst)
        {
            bus.registerAgent("judge", "judicial", Set.of(), TENANT, MaciRole.JUDICIAL);
        }
        bus.registerAgent("impl", "worker", Set.of(), TENANT, MaciRole.IMPLEMENTER);
        bus.registerAgent("judge2", "judicial", Set.of("governance"), TENANT, MaciRole.JUDICIAL);
        bus.registerAgent("sink", "worker", Set.of(), TENANT, MaciRole.MONITOR);
        if (!judgeFirst)
        {
            bus.registerAgent("judge", "judicial", Set.of(), TENANT, MaciRole.JUDICIAL);
        }
        return bus;
    }

    /** judge produces report-0, then impl's messages push it out of the 4-entry store. */
    private void produceAndEvict()
    {
        bus.maci().recordOutput("judge", "report-0");
        for (int i = 0; i < 3 * CAPACITY; i++)
        {
            assertTrue(send(bus, message("impl", MessageType.TASK_REQUEST, "task-" + i, Map.of("t", "x"))).isValid());
        }
        assertTrue(bus.maci().provenance().evicted() >= 1);
        assertTrue(bus.maci().provenance().spill().drain(10_000), "spill written");
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void anEvictedOutputIsStillItsProducersAndSurvivesARestart(final NativeMode mode)
    {
        start(mode, true);
        produceAndEvict();
        final Map<?, ?> spill = (Map<?, ?>)((Map<?, ?>)bus.getMetrics().get("maci")).get("outputs_spill");
        assertTrue(((Number)spill.get("spilled")).longValue() >= 1, spill.toString());
        assertEquals(0L, spill.get("dropped"));

        assertEquals("judge", bus.maci().producerOf("report-0"), "found in the spill");
        assertRejected(send(bus, validate("judge", "v-1", "target_output_id", "report-0")), RejectReason.MACI_SELF_VALIDATION, SELF);
        assertThrows(MaciSelfValidationException.class, () -> bus.maci().validateAction("judge", MaciAction.VALIDATE, "report-0", null));
        // Another judge is not refused as the producer: its producer is known (judicial → judicial is the cross-role rule's to decide).
        assertEquals(RejectReason.MACI_CROSS_ROLE, send(bus, validate("judge2", "v-2", "target_output_id", "report-0")).rejectReason());

        bus.close();
        assertTrue(Files.isRegularFile(journal.resolve(MaciEnforcer.SPILL_DIR).resolve(ProvenanceSpill.SEED_FILE)));
        // Restart: agents register in another order, so judge has another handle; the spill names it by id.
        start(mode, false);
        final Map<?, ?> restored = (Map<?, ?>)((Map<?, ?>)bus.getMetrics().get("maci")).get("outputs_spill");
        assertTrue(((Number)restored.get("restored")).longValue() >= 1, restored.toString());
        assertEquals("judge", bus.maci().producerOf("report-0"));
        assertRejected(send(bus, validate("judge", "v-3", "target_output_id", "report-0")), RejectReason.MACI_SELF_VALIDATION, SELF);
        assertThrows(MaciSelfValidationException.class, () -> bus.maci().validateAction("judge", MaciAction.VALIDATE, "report-0", null));
        assertEquals(RejectReason.MACI_CROSS_ROLE, send(bus, validate("judge2", "v-4", "target_output_id", "report-0")).rejectReason());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"OFF"})
    void recordingASpilledOutputAgainUnderAnotherAgentMakesItAmbiguous(final NativeMode mode)
    {
        start(mode, true);
        produceAndEvict();
        // judge2 claims judge's forgotten output: as if it had never left the store, the id now has no single producer.
        bus.maci().recordOutput("judge2", "report-0");
        assertEquals(null, bus.maci().producerOf("report-0"));
        assertEquals(RejectReason.MACI_SELF_VALIDATION, send(bus, validate("judge2", "v-5", "target_output_id", "report-0")).rejectReason());
        assertEquals(RejectReason.MACI_SELF_VALIDATION, send(bus, validate("judge", "v-6", "target_output_id", "report-0")).rejectReason());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"OFF"})
    void withoutAJournalDirectoryNothingIsSpilledAndAForgottenOutputIsUnknown(final NativeMode mode)
    {
        bus = started(config(mode).enableMaci(true).maciStrictMode(true).maciOutputCapacity(CAPACITY).journalDir(null).build());
        bus.registerAgent("judge", "judicial", Set.of(), TENANT, MaciRole.JUDICIAL);
        bus.registerAgent("impl", "worker", Set.of(), TENANT, MaciRole.IMPLEMENTER);
        bus.registerAgent("sink", "worker", Set.of(), TENANT, MaciRole.MONITOR);
        bus.maci().recordOutput("judge", "report-0");
        for (int i = 0; i < 3 * CAPACITY; i++)
        {
            send(bus, message("impl", MessageType.TASK_REQUEST, "task-" + i, Map.of("t", "x")));
        }
        assertEquals(null, bus.maci().provenance().spill());
        assertEquals(RejectReason.MACI_TARGET_NOT_FOUND, send(bus, validate("judge", "v-7", "target_output_id", "report-0")).rejectReason());
    }
}
