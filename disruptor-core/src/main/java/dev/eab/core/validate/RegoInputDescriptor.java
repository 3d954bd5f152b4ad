package dev.eab.core.validate;

import java.util.List;

/**
 * The compact decision input {@code eab_rego_decide} reads (mirrored by {@code REGO_INPUT_NAMES} and
 * {@code decode_input} in {@code native-rust/src/rego.rs}): {@link #FIELD_COUNT} UTF-8 strings in the order of
 * {@link #FIELD_NAMES}, each a little-endian {@code u16} byte length followed by the bytes, nothing else. Rust
 * turns it into the JSON object the policy sees as {@code input}; {@code RegoInputAgreementTest} proves that
 * object equals Java's own rendering of the same input ({@link RegoInput#toJson()}).
 *
 * <pre>
 *   u16 len | sender            agent id of the sender
 *   u16 len | sender_role       MACI role value ("executive", ...), "" without one
 *   u16 len | tenant            the sender's (= message's) tenant id, "" without one
 *   u16 len | message_type      MessageType value ("command", ...)
 *   u16 len | recipient         agent id of the recipient, "" without one
 *   u16 len | content_digest    32 hex chars ({@link ContentDigest})
 *   u16 len | policy_version    the bundle's version ({@code RegoBundle#version()})
 * </pre>
 */
public final class RegoInputDescriptor
{
    /** Strings in an input. */
    public static final int FIELD_COUNT = 7;
    /** Bytes of each length prefix. */
    public static final int LENGTH_PREFIX_BYTES = 2;
    /** Longest field in bytes (a {@code u16}); agent and tenant ids are far shorter. */
    public static final int MAX_FIELD_BYTES = 0xFFFF;
    /** The input object's keys, in wire order. */
    public static final List<String> FIELD_NAMES = List.of(
        "sender", "sender_role", "tenant", "message_type", "recipient", "content_digest", "policy_version");

    public static final int SENDER = 0;
    public static final int SENDER_ROLE = 1;
    public static final int TENANT = 2;
    public static final int MESSAGE_TYPE = 3;
    public static final int RECIPIENT = 4;
    public static final int CONTENT_DIGEST = 5;
    public static final int POLICY_VERSION = 6;

    private RegoInputDescriptor()
    {
    }
}
