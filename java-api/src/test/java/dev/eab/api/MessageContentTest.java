package dev.eab.api;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The original's validate_message_content semantics. */
class MessageContentTest
{
    @Test
    void nonMapContentIsInvalidWithTheOriginalsText()
    {
        for (final Object bad : new Object[] {null, "text", 42, List.of("a")})
        {
            final ValidationResult r = MessageContent.validateMessageContent(bad);
            assertFalse(r.isValid(), String.valueOf(bad));
            assertEquals(Decision.DENY, r.decision());
            assertEquals(RejectReason.CONTENT_NOT_A_MAP, r.rejectReason());
            assertEquals(List.of("Content must be a dictionary"), r.errors());
        }
    }

    @Test
    void emptyActionIsValidButWarned()
    {
        final Map<String, Object> nullAction = new HashMap<>();
        nullAction.put("action", null);
        for (final Map<String, ?> m : List.of(Map.of("action", ""), nullAction))
        {
            final ValidationResult r = MessageContent.validateMessageContent(m);
            assertTrue(r.isValid());
            assertEquals(List.of("Empty action field"), r.warnings());
        }
        assertEquals(List.of(), MessageContent.validateMessageContent(Map.of("action", "buy")).warnings());
        assertEquals(List.of(), MessageContent.validateMessageContent(Map.of()).warnings(), "no action key: no warning");
        assertTrue(MessageContent.validateMessageContent(Map.of()).isValid());
    }
}
