package dev.eab.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Tenant normalisation and format, as the bus applies them (the engine calls this very class). */
class TenantIdsTest
{
    @Test
    void normalisesLikeTheOriginal()
    {
        assertEquals("tenant-a", TenantIds.normalize(" Tenant-A "));
        assertEquals("acme_1", TenantIds.normalize("\tACME_1\n"));
        assertNull(TenantIds.normalize(null));
        assertNull(TenantIds.normalize(""));
        assertNull(TenantIds.normalize("   "));
        assertNull(TenantIds.normalize(" None "), "'none' means no tenant");
    }

    @Test
    void formatRule()
    {
        assertTrue(TenantIds.isValid(null), "no tenant is valid");
        assertTrue(TenantIds.isValid("abc"));
        assertTrue(TenantIds.isValid("a".repeat(TenantIds.MAX_LENGTH)));
        assertTrue(TenantIds.isValid("a-b_c-0123456789"));
        assertFalse(TenantIds.isValid("ab"), "shorter than 3");
        assertFalse(TenantIds.isValid("a".repeat(TenantIds.MAX_LENGTH + 1)), "longer than 64");
        for (final String bad : new String[] {"bad tenant", "acme.corp", "acme/1", "ACME", "acmé", "ac\u0000me", "acme!"})
        {
            assertFalse(TenantIds.isValid(bad), bad);
        }
    }

    @Test
    void validateTenantIdGivesTheBusVerdictAndText()
    {
        final ValidationResult ok = TenantIds.validateTenantId(" Tenant-A ");
        assertTrue(ok.isValid());
        assertEquals(Map.of("tenant_id", "tenant-a"), ok.metadata());
        assertTrue(TenantIds.validateTenantId(" ").isValid(), "blank is no tenant");
        assertFalse(TenantIds.validateTenantId(" ").metadata().containsKey("tenant_id"));

        final ValidationResult bad = TenantIds.validateTenantId("Bad Tenant!");
        assertFalse(bad.isValid());
        assertEquals(Decision.DENY, bad.decision());
        assertEquals(RejectReason.INVALID_TENANT, bad.rejectReason());
        assertEquals("Invalid tenant_id format: bad tenant!", bad.errors().get(0));
    }
}
