package dev.eab.core.validate;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes a compact decision input ({@link RegoInputDescriptor}) into an off-heap segment for
 * {@code eab_rego_decide}: {@link #begin}, {@link RegoInputDescriptor#FIELD_COUNT} × {@link #field}, then pass
 * {@link #segment()} and {@link #length()}. Allocates nothing unless an input outgrows the buffer (it then doubles,
 * from an automatic arena, so the old one is reclaimed by the GC).
 *
 * <p>Single-thread ownership: the bus thread's instance lives in {@link RegoPolicyStrategy}.
 */
public final class RegoInput
{
    private static final ValueLayout.OfShort U16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MemorySegment buffer;
    private int length;
    private int fields;

    /** @param initialCapacityBytes the first buffer size. */
    public RegoInput(final int initialCapacityBytes)
    {
        this.buffer = Arena.ofAuto().allocate(Math.max(16, initialCapacityBytes));
    }

    /**
     * Starts an input of at most {@code capacityBytes} bytes (the sum of the fields plus their prefixes).
     *
     * @return this.
     */
    public RegoInput begin(final long capacityBytes)
    {
        if (capacityBytes > buffer.byteSize())
        {
            buffer = Arena.ofAuto().allocate(Math.max(capacityBytes, buffer.byteSize() * 2));
        }
        length = 0;
        fields = 0;
        return this;
    }

    /**
     * Appends the next field.
     *
     * @throws IllegalArgumentException when it is longer than {@link RegoInputDescriptor#MAX_FIELD_BYTES}, or it would
     *     be field number {@link RegoInputDescriptor#FIELD_COUNT} + 1.
     * @throws IndexOutOfBoundsException when {@link #begin} was given too small a capacity.
     */
    public RegoInput field(final byte[] utf8)
    {
        if (utf8.length > RegoInputDescriptor.MAX_FIELD_BYTES || fields == RegoInputDescriptor.FIELD_COUNT)
        {
            throw new IllegalArgumentException("field " + fields + " of " + utf8.length + " bytes does not fit the compact input");
        }
        buffer.set(U16_LE, length, (short)utf8.length);
        MemorySegment.copy(utf8, 0, buffer, ValueLayout.JAVA_BYTE, length + RegoInputDescriptor.LENGTH_PREFIX_BYTES, utf8.length);
        length += RegoInputDescriptor.LENGTH_PREFIX_BYTES + utf8.length;
        fields++;
        return this;
    }

    /** @return whether all {@link RegoInputDescriptor#FIELD_COUNT} fields were written since {@link #begin}. */
    public boolean complete()
    {
        return fields == RegoInputDescriptor.FIELD_COUNT;
    }

    /** @return the buffer (valid for {@link #length()} bytes). */
    public MemorySegment segment()
    {
        return buffer;
    }

    /** @return the bytes written since {@link #begin}. */
    public int length()
    {
        return length;
    }
}
