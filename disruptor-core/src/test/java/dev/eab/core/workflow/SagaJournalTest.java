package dev.eab.core.workflow;

import dev.eab.api.exception.WorkflowException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.eab.core.workflow.SagaRecordDescriptor.*;
import static dev.eab.core.workflow.SagaTransition.*;
import static dev.eab.core.workflow.WorkflowFixtures.Events;
import static dev.eab.core.workflow.WorkflowFixtures.THREE_FAST;
import static dev.eab.core.workflow.WorkflowFixtures.failingStep;
import static dev.eab.core.workflow.WorkflowFixtures.okStep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The saga journal: every transition, in order, survives a reopen, and is laid out as the descriptor says. */
class SagaJournalTest
{
    @TempDir
    Path dir;

    @Test
    void everyTransitionIsJournaledInOrderAndReadBackAfterReopening()
    {
        final Events events = new Events();
        final Saga saga = Saga.builder("order")
            .step(okStep("a", events).build())
            .step(failingStep("b", events).retry(RetryPolicy.of(2, 0, WorkflowFixtures.GUARD_TIMEOUT_MS)).compensation(ctx -> events.add("comp:b")).build())
            .build();
        final SagaResult result;
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, null))
        {
            result = coordinator.run(saga, "saga-1", "the input");
        }
        assertEquals(SagaStatus.COMPENSATED, result.status());

        final List<SagaRecord> records;
        try (SagaJournal reopened = SagaJournal.open(dir))
        {
            records = reopened.read("saga-1");
        }
        assertEquals(List.of(SAGA_STARTED, STEP_STARTED, STEP_COMPLETED, STEP_STARTED, STEP_FAILED, STEP_STARTED, STEP_FAILED,
            SAGA_COMPENSATING, COMPENSATION_STARTED, COMPENSATION_DONE, COMPENSATION_STARTED, COMPENSATION_DONE, SAGA_FINISHED),
            records.stream().map(SagaRecord::type).toList());

        final SagaRecord started = records.get(0);
        assertEquals("order", started.name());
        assertEquals(2, started.stepIndex());
        assertEquals("the input", started.text());
        assertEquals("a-result", records.get(2).text());
        assertEquals(List.of(1, 1, 1, 1, 2, 2), records.subList(1, 7).stream().map(SagaRecord::attempt).toList());
        assertFalse(records.get(4).has(FLAG_LAST_ATTEMPT));
        assertTrue(records.get(6).has(FLAG_LAST_ATTEMPT));
        assertTrue(records.get(6).text().contains("b broke"));
        assertEquals(1, records.get(7).stepIndex(), "SAGA_COMPENSATING names the failed step");
        assertEquals(List.of("b", "b", "a", "a"), records.subList(8, 12).stream().map(SagaRecord::name).toList());
        assertEquals(SagaStatus.COMPENSATED.code(), records.get(12).code());
        assertTrue(records.stream().allMatch(r -> r.sagaId().equals("saga-1")));
        for (int i = 1; i < records.size(); i++)
        {
            assertTrue(records.get(i).timestampNs() >= records.get(i - 1).timestampNs(), "timestamps in order");
        }
    }

    @Test
    void recordsAreLaidOutAsTheDescriptorSays()
    {
        final SagaRecord written = new SagaRecord(STEP_FAILED, 1_234_567_890_123L, 7, 3, FLAG_LAST_ATTEMPT | FLAG_TIMED_OUT, "id-é", "step", null);
        try (SagaJournal journal = SagaJournal.open(dir))
        {
            journal.append(written);
            assertEquals(List.of(written), journal.read("id-é"));
        }
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
             ExcerptTailer tailer = queue.createTailer();
             DocumentContext dc = tailer.readingDocument())
        {
            assertTrue(dc.isPresent());
            final Bytes<?> b = dc.wire().bytes();
            final long base = b.readPosition();
            final int idBytes = "id-é".getBytes(StandardCharsets.UTF_8).length;
            assertEquals(HEADER_LENGTH + idBytes + 4, b.readRemaining());
            assertEquals(MAGIC, b.readInt(base + MAGIC_OFFSET));
            assertEquals(VERSION, b.readShort(base + VERSION_OFFSET));
            assertEquals(STEP_FAILED.code(), b.readShort(base + TYPE_OFFSET));
            assertEquals(1_234_567_890_123L, b.readLong(base + TIMESTAMP_NS_OFFSET));
            assertEquals(7, b.readInt(base + STEP_INDEX_OFFSET));
            assertEquals(3, b.readInt(base + ATTEMPT_OFFSET));
            assertEquals(FLAG_LAST_ATTEMPT | FLAG_TIMED_OUT, b.readInt(base + CODE_OFFSET));
            assertEquals(idBytes, b.readInt(base + SAGA_ID_LENGTH_OFFSET));
            assertEquals(4, b.readInt(base + NAME_LENGTH_OFFSET));
            assertEquals(NULL_LENGTH, b.readInt(base + TEXT_LENGTH_OFFSET));
            assertEquals(0, b.readInt(base + RESERVED_OFFSET));
            assertEquals('s', b.readByte(base + HEADER_LENGTH + idBytes));
        }
    }

    @Test
    void refusesOversizedStringsAndAClosedJournal()
    {
        final SagaJournal journal = SagaJournal.open(dir);
        assertThrows(WorkflowException.class, () -> journal.append(
            new SagaRecord(SAGA_STARTED, 1, 1, 0, 0, "x".repeat(MAX_ID_BYTES + 1), "s", null)));
        journal.close();
        assertThrows(WorkflowException.class, () -> journal.append(new SagaRecord(SAGA_STARTED, 1, 1, 0, 0, "id", "s", null)));
        assertThrows(WorkflowException.class, () -> journal.read("id"));
        journal.close();
        try (SagaJournal reopened = SagaJournal.open(dir))
        {
            assertTrue(reopened.read("id").isEmpty(), "a refused record was never written");
        }
    }

    @Test
    void aNullTextAndAnEmptyNameRoundTrip()
    {
        try (SagaJournal journal = SagaJournal.open(dir))
        {
            final SagaRecord r = new SagaRecord(SAGA_FINISHED, 5, -1, 0, SagaStatus.COMPLETED.code(), "id", "", null);
            journal.append(r);
            final SagaRecord back = journal.read("id").getFirst();
            assertEquals(r, back);
            assertNull(back.text());
        }
    }

    @Test
    void aRetriedStepsAttemptsAreNumberedAcrossTheJournal()
    {
        final Events events = new Events();
        final Saga saga = Saga.builder("s").step(failingStep("f", events).retry(THREE_FAST).build()).build();
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, null))
        {
            final SagaResult r = coordinator.run(saga, "id", null);
            assertEquals(List.of(1, 2, 3), coordinator.journal().read("id").stream()
                .filter(x -> x.type() == STEP_STARTED).map(SagaRecord::attempt).toList());
            assertEquals(SagaStatus.COMPENSATED, r.status());
        }
    }
}
