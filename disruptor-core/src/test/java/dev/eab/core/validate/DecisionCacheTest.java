package dev.eab.core.validate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DecisionCacheTest
{
    private static final long AGENTS = DecisionCache.agents(3, 4);
    private static final long CONTEXT = DecisionCache.context(1, 2, 0);

    @Test
    void hitsOnlyOnTheWholeKey()
    {
        final DecisionCache c = new DecisionCache(1024);
        c.put(AGENTS, CONTEXT, 11, 12, 1, DecisionCache.ALLOW);
        assertEquals(DecisionCache.ALLOW, c.get(AGENTS, CONTEXT, 11, 12, 1));
        // Every field on its own makes another key: the original's content-only key is the bug this prevents.
        assertEquals(DecisionCache.MISS, c.get(DecisionCache.agents(5, 4), CONTEXT, 11, 12, 1), "another sender, same content");
        assertEquals(DecisionCache.MISS, c.get(DecisionCache.agents(3, 6), CONTEXT, 11, 12, 1), "another recipient");
        assertEquals(DecisionCache.MISS, c.get(AGENTS, DecisionCache.context(2, 2, 0), 11, 12, 1), "another tenant");
        assertEquals(DecisionCache.MISS, c.get(AGENTS, DecisionCache.context(1, 3, 0), 11, 12, 1), "another role");
        assertEquals(DecisionCache.MISS, c.get(AGENTS, DecisionCache.context(1, -1, 0), 11, 12, 1), "no role");
        assertEquals(DecisionCache.MISS, c.get(AGENTS, DecisionCache.context(1, 2, 1), 11, 12, 1), "another message type");
        assertEquals(DecisionCache.MISS, c.get(AGENTS, CONTEXT, 13, 12, 1), "another digest (high half)");
        assertEquals(DecisionCache.MISS, c.get(AGENTS, CONTEXT, 11, 13, 1), "another digest (low half)");
        assertEquals(DecisionCache.MISS, c.get(AGENTS, CONTEXT, 11, 12, 2), "another policy generation");
    }

    @Test
    void keyPartsDoNotAlias()
    {
        assertNotEquals(DecisionCache.agents(1, -1), DecisionCache.agents(0, 1));
        assertNotEquals(DecisionCache.agents(-1, 2), DecisionCache.agents(2, -1));
        assertNotEquals(DecisionCache.context(-1, 0, 1), DecisionCache.context(0, 0, 1));
        assertNotEquals(DecisionCache.context(0, -1, 1), DecisionCache.context(0, 0, 1));
    }

    @Test
    void twoSendersSameContentKeepTheirOwnDecisions()
    {
        final DecisionCache c = new DecisionCache(64);
        c.put(DecisionCache.agents(1, 9), CONTEXT, 7, 7, 1, DecisionCache.ALLOW);
        c.put(DecisionCache.agents(2, 9), CONTEXT, 7, 7, 1, DecisionCache.DENY);
        assertEquals(DecisionCache.ALLOW, c.get(DecisionCache.agents(1, 9), CONTEXT, 7, 7, 1));
        assertEquals(DecisionCache.DENY, c.get(DecisionCache.agents(2, 9), CONTEXT, 7, 7, 1));
    }

    @Test
    void staysBoundedAndKeepsTheNewestDecision()
    {
        final DecisionCache c = new DecisionCache(16);
        for (int i = 0; i < 10_000; i++)
        {
            c.put(DecisionCache.agents(i, 0), CONTEXT, i, i, 1, (i & 1) == 0 ? DecisionCache.ALLOW : DecisionCache.DENY);
            // the entry just written is always found, whatever it evicted
            assertEquals((i & 1) == 0 ? DecisionCache.ALLOW : DecisionCache.DENY, c.get(DecisionCache.agents(i, 0), CONTEXT, i, i, 1));
        }
        int found = 0;
        for (int i = 0; i < 10_000; i++)
        {
            final int v = c.get(DecisionCache.agents(i, 0), CONTEXT, i, i, 1);
            if (v != DecisionCache.MISS)
            {
                found++;
                assertEquals((i & 1) == 0 ? DecisionCache.ALLOW : DecisionCache.DENY, v, "an entry never changes its decision");
            }
        }
        assertTrue(found > 0 && found <= 16, "bounded by capacity: " + found);
        assertEquals(16, c.capacity());
    }

    @Test
    void olderGenerationsAreOverwrittenNotMatched()
    {
        final DecisionCache c = new DecisionCache(8);
        for (int i = 0; i < 8; i++)
        {
            c.put(DecisionCache.agents(i, 0), CONTEXT, 1, 1, 1, DecisionCache.ALLOW);
        }
        for (int i = 0; i < 8; i++)
        {
            c.put(DecisionCache.agents(i, 0), CONTEXT, 1, 1, 2, DecisionCache.DENY);
        }
        for (int i = 0; i < 8; i++)
        {
            assertEquals(DecisionCache.DENY, c.get(DecisionCache.agents(i, 0), CONTEXT, 1, 1, 2));
            assertEquals(DecisionCache.MISS, c.get(DecisionCache.agents(i, 0), CONTEXT, 1, 1, 1));
        }
    }

    @Test
    void zeroCapacityNeverHitsAndBadArgumentsAreRefused()
    {
        final DecisionCache off = new DecisionCache(0);
        off.put(AGENTS, CONTEXT, 1, 1, 1, DecisionCache.ALLOW);
        assertEquals(DecisionCache.MISS, off.get(AGENTS, CONTEXT, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DecisionCache(12));
        assertThrows(IllegalArgumentException.class, () -> new DecisionCache(16).put(AGENTS, CONTEXT, 1, 1, 1, 3));
    }
}
