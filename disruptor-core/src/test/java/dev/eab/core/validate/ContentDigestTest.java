package dev.eab.core.validate;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ContentDigestTest
{
    /** Reference values from Python's {@code mmh3.hash128(data, 0, True, signed=False).to_bytes(16, "little").hex()}. */
    @Test
    void matchesMurmur3ReferenceVectors()
    {
        assertEquals("00000000000000000000000000000000", hex(new byte[0]));
        assertEquals("029bbd41b3a7d8cb191dae486a901e5b", hex("hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("6c1b07bc7bbc4be347939ac4a93c437a", hex("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII)));
        final byte[] seq = new byte[31];
        for (int i = 0; i < seq.length; i++)
        {
            seq[i] = (byte)i;
        }
        assertEquals("94d02ca3e1d33d05905400b4ef9ae59e", hex(seq));
    }

    @Test
    void digestsTheGivenRangeOnly()
    {
        final byte[] framed = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals("029bbd41b3a7d8cb191dae486a901e5b", new ContentDigest().digest(framed, 2, 5).hex());
    }

    @Test
    void canonicalMapDigestIgnoresInsertionOrderButNotContent()
    {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("action", "transfer");
        a.put("amount", 10);
        a.put("tags", List.of("x", "y"));
        final Map<String, Object> b = new LinkedHashMap<>();
        b.put("tags", List.of("x", "y"));
        b.put("amount", 10);
        b.put("action", "transfer");
        final ContentDigest d = new ContentDigest();
        final String da = d.digest(a).hex();
        assertEquals(da, d.digest(b).hex());
        assertNotEquals(da, d.digest(Map.of("action", "transfer", "amount", 11, "tags", List.of("x", "y"))).hex());
        assertNotEquals(da, d.digest(Map.of("action", "transfer", "amount", "10", "tags", List.of("x", "y"))).hex(), "kinds are tagged");
        assertNotEquals(d.digest(Map.of("a", "bc")).hex(), d.digest(Map.of("ab", "c")).hex(), "lengths are prefixed");
    }

    private static String hex(final byte[] b)
    {
        return new ContentDigest().digest(b, 0, b.length).hex();
    }
}
