package dev.eab.core.validate;

import dev.eab.api.ConstitutionalHashMatcher;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An agent's pre-check ({@link ConstitutionalHashMatcher#validate}, public in java-api) and the bus's verdict on
 * the same claimed hash (encoded into the header as the send paths do it, then decided by the Java twin and the
 * Rust engine) must agree: accept, HASH_MISSING or HASH_MISMATCH, for every claimed hash.
 */
class HashPreCheckAgreementTest
{
    static final String HASH = TestHeaders.HASH;
    static final int GENERATED = 20_000;
    static final long SEED = Long.getLong("eab.test.seed", new SplittableRandom().nextLong());

    @Test
    void preCheckAgreesWithBothValidators()
    {
        final PolicyTable allowAll = PolicyCompiler.compile("default: allow\n", "t");
        final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1024, allowAll);
        final List<String> claims = claims(new SplittableRandom(SEED));
        try (Arena arena = Arena.ofConfined(); NativeValidationStrategy nat = new NativeValidationStrategy(HASH, 1024, allowAll))
        {
            final MemorySegment h = TestHeaders.allocate(arena);
            final byte[] encoded = new byte[MessageHeaderDescriptor.HASH_CAPACITY];
            for (final String claim : claims)
            {
                TestHeaders.valid(h, -1, -1, MessageType.COMMAND.ordinal(), 0);
                TestHeaders.hash(h, encoded, HashEncoding.encode(claim, encoded));
                final RejectReason preCheck = ConstitutionalHashMatcher.DEFAULT.validate(claim).rejectReason();
                final String what = "seed=" + SEED + " claim " + (claim == null ? "null" : claim.codePoints().mapToObj(Integer::toHexString).toList());
                assertEquals(preCheck.code(), java.validate(h), what);
                assertEquals(preCheck.code(), nat.validate(h), what);
            }
        }
    }

    /** The right hash, null, every prefix and one-character change, longer ones, non-ASCII look-alikes, random text. */
    static List<String> claims(final SplittableRandom r)
    {
        final List<String> claims = new ArrayList<>(List.of(HASH, "", HASH + "0", HASH.toUpperCase(), HASH.substring(0, 15) + '\u0163'));
        claims.add(null);
        for (int i = 0; i < HASH.length(); i++)
        {
            claims.add(HASH.substring(0, i));
            claims.add(HASH.substring(0, i) + (char)(HASH.charAt(i) ^ 1) + HASH.substring(i + 1));
            claims.add(HASH.substring(0, i) + (char)(HASH.charAt(i) | 0x100) + HASH.substring(i + 1));
        }
        for (int i = 0; i < GENERATED; i++)
        {
            final StringBuilder s = new StringBuilder(r.nextBoolean() ? HASH.substring(0, r.nextInt(17)) : "");
            final int extra = r.nextInt(4);
            for (int k = 0; k < extra; k++)
            {
                s.append((char)(r.nextInt(8) == 0 ? r.nextInt(0x10000) : r.nextInt(0x80)));
            }
            claims.add(s.toString());
        }
        return claims;
    }
}
