package dev.eab.core.workflow;

/**
 * Binary layout of one saga journal record: one Chronicle Queue document per transition, a fixed 44-byte
 * header followed by three UTF-8 strings. All integers are little-endian (Chronicle's byte order on every
 * platform we run). Offsets are from the start of the document.
 *
 * <pre>
 *  offset  size  field
 *   0       4    MAGIC              0x53414741 ("SAGA"): a document that is not ours is refused
 *   4       2    VERSION            layout version, {@link #VERSION}
 *   6       2    TYPE               {@link SagaTransition#code()}
 *   8       8    TIMESTAMP_NS       wall clock, nanoseconds since the epoch
 *  16       4    STEP_INDEX         step the transition is about, -1 for saga-level records (SAGA_STARTED: step count)
 *  20       4    ATTEMPT            attempt number from 1, 0 when not an attempt
 *  24       4    CODE               SAGA_FINISHED: {@link SagaStatus#code()}; *_FAILED: {@link #FLAG_LAST_ATTEMPT} | {@link #FLAG_TIMED_OUT} | {@link #FLAG_INTERRUPTED}
 *  28       4    SAGA_ID_LENGTH     bytes of the saga id (1..{@link #MAX_ID_BYTES})
 *  32       4    NAME_LENGTH        bytes of the name: the step's name, or the saga definition's name on saga-level records
 *  36       4    TEXT_LENGTH        bytes of the text (result, error, input), -1 for null
 *  40       4    RESERVED           0
 *  44       ..   saga id, name, text (UTF-8, back to back)
 * </pre>
 */
public final class SagaRecordDescriptor
{
    /** "SAGA" in ASCII, big-endian reading. */
    public static final int MAGIC = 0x53414741;
    /** Layout version written now. */
    public static final short VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 6;
    public static final int TIMESTAMP_NS_OFFSET = 8;
    public static final int STEP_INDEX_OFFSET = 16;
    public static final int ATTEMPT_OFFSET = 20;
    public static final int CODE_OFFSET = 24;
    public static final int SAGA_ID_LENGTH_OFFSET = 28;
    public static final int NAME_LENGTH_OFFSET = 32;
    public static final int TEXT_LENGTH_OFFSET = 36;
    public static final int RESERVED_OFFSET = 40;
    /** Bytes before the strings. */
    public static final int HEADER_LENGTH = 44;

    /** The failed attempt was the step's (or compensation's) last: no retry follows. */
    public static final int FLAG_LAST_ATTEMPT = 1;
    /** The failed attempt ran past its timeout. */
    public static final int FLAG_TIMED_OUT = 2;
    /** The attempt was cut off by a crash (written by a resume). */
    public static final int FLAG_INTERRUPTED = 4;

    /** Longest saga id, in UTF-8 bytes: ids are keys, not payloads. */
    public static final int MAX_ID_BYTES = 256;
    /** Longest name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1_024;
    /** Longest text (a step result, an error), in UTF-8 bytes; one document must fit a Chronicle block. */
    public static final int MAX_TEXT_BYTES = 1 << 20;
    /** Text length meaning null. */
    public static final int NULL_LENGTH = -1;

    private SagaRecordDescriptor()
    {
    }
}
