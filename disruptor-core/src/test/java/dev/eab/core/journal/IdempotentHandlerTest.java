package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageType;
import dev.eab.api.MessageView;
import dev.eab.api.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IdempotentHandlerTest
{
    private static MessageView view(final String id)
    {
        return view(AgentMessage.builder().messageId(id).build());
    }

    static MessageView view(final String id, final String tenant, final String toAgent)
    {
        return view(AgentMessage.builder().messageId(id).tenantId(tenant).toAgent(toAgent).build());
    }

    private static MessageView view(final AgentMessage m)
    {
        return new MessageView()
        {
            @Override public int senderHandle() { return 0; }
            @Override public int recipientHandle() { return 1; }
            @Override public MessageType messageType() { return m.messageType(); }
            @Override public Priority priority() { return m.priority(); }
            @Override public long correlationId() { return 0; }
            @Override public int payloadLength() { return 0; }
            @Override public byte payloadByte(final int index) { return 0; }
            @Override public int copyPayload(final byte[] dst, final int offset) { return 0; }
            @Override public AgentMessage toMessage() { return m; }
        };
    }

    @Test
    void eachIdRunsOnceAcrossReopening(@TempDir final Path dir) throws Exception
    {
        final List<String> ran = new ArrayList<>();
        try (IdempotentHandler h = IdempotentHandler.open(dir, "agent/1", m -> ran.add(m.toMessage().messageId())))
        {
            h.onMessage(view("a"));
            h.onMessage(view("b"));
            h.onMessage(view("a"));
            assertEquals(1, h.skipped());
        }
        // A restart: the journal redelivers a and b (their acks were lost); only c is new.
        try (IdempotentHandler h = IdempotentHandler.open(dir, "agent/1", m -> ran.add(m.toMessage().messageId())))
        {
            assertEquals(2, h.processedCount());
            h.onMessage(view("a"));
            h.onMessage(view("b"));
            h.onMessage(view("c"));
            assertEquals(2, h.skipped());
        }
        assertEquals(List.of("a", "b", "c"), ran);
    }

    @Test
    void aRecordingHandlerKeepsItsEffectWithTheIdAndRunsOnceAcrossReopening(@TempDir final Path dir) throws Exception
    {
        final IdempotentHandler.RecordingHandler r = m -> "saw " + m.toMessage().messageId();
        try (IdempotentHandler h = IdempotentHandler.recording(dir, "a", r))
        {
            h.onMessage(view("x"));
            h.onMessage(view("x"));
        }
        try (IdempotentHandler h = IdempotentHandler.recording(dir, "a", r))
        {
            h.onMessage(view("x"));
            h.onMessage(view("y"));
            assertEquals(1, h.skipped());
        }
        assertEquals(List.of(new IdempotentHandler.Processed("x", "saw x"), new IdempotentHandler.Processed("y", "saw y")),
            IdempotentHandler.readProcessed(dir, "a"));
        assertEquals(List.of(), IdempotentHandler.readProcessed(dir, "nobody"));
    }

    @Test
    void aThrowingHandlerIsNotRecordedSoTheRedeliveryRunsIt(@TempDir final Path dir) throws Exception
    {
        final int[] calls = {0};
        try (IdempotentHandler h = IdempotentHandler.open(dir, "x", m -> {
            if (calls[0]++ == 0)
            {
                throw new IllegalStateException("first attempt fails");
            }
        }))
        {
            assertThrows(IllegalStateException.class, () -> h.onMessage(view("a")));
            h.onMessage(view("a"));
            h.onMessage(view("a"));
        }
        assertEquals(2, calls[0]);
    }
}
