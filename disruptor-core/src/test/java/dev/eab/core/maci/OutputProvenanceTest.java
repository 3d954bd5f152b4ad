package dev.eab.core.maci;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The bounded provenance map: lookups, FIFO eviction at the bound, conflicts, and its agreement with a plain model. */
class OutputProvenanceTest
{
    @Test
    void recordsAndFindsProducers()
    {
        final OutputProvenance p = new OutputProvenance(8, 42);
        p.record(p.keyOf("out-1"), 3, 2);
        final long packed = p.lookup(p.keyOf("out-1"));
        assertEquals(3, OutputProvenance.producer(packed));
        assertEquals(2, OutputProvenance.role(packed));
        assertEquals(OutputProvenance.NOT_FOUND, p.lookup(p.keyOf("out-2")));
        p.record(p.keyOf("out-2"), 4, -1);
        assertEquals(-1, OutputProvenance.role(p.lookup(p.keyOf("out-2"))), "a producer without a role");
        assertEquals(2, p.size());
    }

    @Test
    void sameProducerAgainChangesNothingAnotherMakesItAmbiguous()
    {
        final OutputProvenance p = new OutputProvenance(8, 1);
        final long k = p.keyOf("shared");
        p.record(k, 1, 0);
        p.record(k, 1, 0);
        assertEquals(1, p.size());
        assertEquals(1, OutputProvenance.producer(p.lookup(k)));
        p.record(k, 2, 2);
        assertEquals(OutputProvenance.AMBIGUOUS, OutputProvenance.producer(p.lookup(k)));
        p.record(k, 1, 0);
        assertEquals(OutputProvenance.AMBIGUOUS, OutputProvenance.producer(p.lookup(k)), "ambiguity is never undone");
    }

    @Test
    void whenASetIsFullItsOldestIsForgotten()
    {
        final OutputProvenance p = new OutputProvenance(3, 7);
        assertEquals(4, p.capacity(), "rounded up: one set of four");
        for (int i = 0; i < 6; i++)
        {
            p.record(p.keyOf("o" + i), i, 0);
        }
        assertEquals(4, p.size());
        assertEquals(2, p.evicted());
        assertEquals(OutputProvenance.NOT_FOUND, p.lookup(p.keyOf("o0")));
        assertEquals(OutputProvenance.NOT_FOUND, p.lookup(p.keyOf("o1")));
        for (int i = 2; i < 6; i++)
        {
            assertEquals(i, OutputProvenance.producer(p.lookup(p.keyOf("o" + i))));
        }
        assertEquals(262_144, new OutputProvenance(262_144).capacity());
        assertEquals(8, new OutputProvenance(5).capacity());
        assertThrows(IllegalArgumentException.class, () -> p.record(1, -1, 0));
    }

    @Test
    void flyweightIdsHashLikeTheirDecimalText()
    {
        final OutputProvenance p = new OutputProvenance(4);
        for (final long id : new long[] {0, 1, -1, 9, 10, 42, 99, 100, 123_456_789, Long.MAX_VALUE, Long.MIN_VALUE, -1_000_000_000_000L})
        {
            assertEquals(p.keyOf(Long.toString(id)), p.keyOf(id), Long.toString(id));
        }
        for (final String notCanonical : new String[] {"007", "-0", "+1", "1a", "-", "", "9223372036854775808", "-9223372036854775809", " 1"})
        {
            for (final long id : new long[] {0, 1, 7, -1, 922_337_203_685_477_580L})
            {
                assertNotEquals(p.keyOf(id), p.keyOf(notCanonical), notCanonical + " vs " + id);
            }
        }
        assertNotEquals(p.keyOf("12"), p.keyOf("21"));
        assertNotEquals(p.keyOf("ab"), p.keyOf("ba"));
        assertNotEquals(new OutputProvenance(4, 1).keyOf("x"), new OutputProvenance(4, 2).keyOf("x"), "the key is seeded");
        assertNotEquals(new OutputProvenance(4, 1).keyOf(5), new OutputProvenance(4, 2).keyOf(5), "the key is seeded");
    }

    /** Random records against a model (a map plus, per set, the insertion order), with small tables so sets fill. */
    @Test
    void agreesWithAModelUnderRandomTraffic()
    {
        final long seed = new SplittableRandom().nextLong();
        final SplittableRandom r = new SplittableRandom(seed);
        for (final int capacity : new int[] {1, 4, 16, 100, 1024})
        {
            final OutputProvenance p = new OutputProvenance(capacity, r.nextLong());
            final Map<Long, Integer> model = new HashMap<>();
            final Map<Integer, ArrayDeque<Long>> sets = new HashMap<>();
            final int ids = p.capacity() * 3;
            long evicted = 0;
            for (int i = 0; i < 20_000; i++)
            {
                final long key = p.keyOf("id-" + r.nextInt(ids));
                final int producer = r.nextInt(4);
                final Integer old = model.get(key);
                if (old != null)
                {
                    if (old != producer)
                    {
                        model.put(key, OutputProvenance.AMBIGUOUS);
                    }
                }
                else
                {
                    final ArrayDeque<Long> set = sets.computeIfAbsent(p.setOf(key), k -> new ArrayDeque<>());
                    if (set.size() == 4)
                    {
                        model.remove(set.removeFirst());
                        evicted++;
                    }
                    set.addLast(key);
                    model.put(key, producer);
                }
                p.record(key, producer, producer);
                assertEquals(model.size(), p.size(), "seed " + seed);
                if (i % 97 == 0)
                {
                    for (int id = 0; id < ids; id++)
                    {
                        final long k = p.keyOf("id-" + id);
                        final Integer expected = model.get(k);
                        final long got = p.lookup(k);
                        if (expected == null)
                        {
                            assertEquals(OutputProvenance.NOT_FOUND, got, "seed " + seed + " id " + id);
                        }
                        else
                        {
                            assertEquals((int)expected, OutputProvenance.producer(got), "seed " + seed + " id " + id);
                            assertEquals(expected == OutputProvenance.AMBIGUOUS ? -1 : expected, OutputProvenance.role(got), "seed " + seed);
                        }
                    }
                }
            }
            assertEquals(evicted, p.evicted(), "seed " + seed);
        }
    }
}
