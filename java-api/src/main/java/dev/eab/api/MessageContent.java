package dev.eab.api;

import java.util.List;
import java.util.Map;

/**
 * The original's {@code validate_message_content}, for agents that pre-check content before sending.
 * The bus applies the same rules (plus its input limits and the guardrail scan) at the boundary.
 */
public final class MessageContent
{
    /** The content key whose empty value draws a warning. */
    public static final String ACTION_KEY = "action";
    /** The original's warning text. */
    public static final String EMPTY_ACTION_WARNING = "Empty action field";
    /** The original's error text for content that is not a map. */
    public static final String NOT_A_DICTIONARY = "Content must be a dictionary";

    private MessageContent()
    {
    }

    /**
     * @return invalid ({@link RejectReason#CONTENT_NOT_A_MAP}, "Content must be a dictionary") unless
     * {@code content} is a map; valid with the warning "Empty action field" when it has an empty or null
     * {@code action}; valid otherwise.
     */
    public static ValidationResult validateMessageContent(final Object content)
    {
        if (!(content instanceof Map<?, ?> map))
        {
            return ValidationResult.deny(RejectReason.CONTENT_NOT_A_MAP, NOT_A_DICTIONARY, Constitution.HASH, Map.of());
        }
        final ValidationResult ok = ValidationResult.allow(MessageStatus.VALIDATED, Constitution.HASH, Map.of());
        return hasEmptyAction(map) ? ok.withWarning(EMPTY_ACTION_WARNING) : ok;
    }

    /** @return true when {@code content} has the key {@code action} with a null or empty value. */
    public static boolean hasEmptyAction(final Map<?, ?> content)
    {
        if (!content.containsKey(ACTION_KEY))
        {
            return false;
        }
        final Object action = content.get(ACTION_KEY);
        return action == null || "".equals(action) || (action instanceof List<?> l && l.isEmpty());
    }
}
