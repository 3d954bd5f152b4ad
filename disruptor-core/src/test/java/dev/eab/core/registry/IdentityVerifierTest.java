package dev.eab.core.registry;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.eab.api.MaciRole;
import dev.eab.api.exception.AgentIdentityException;
import dev.eab.api.exception.ConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Date;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identity tokens, for each algorithm (HS256, RS256, EdDSA) with real keys: a good token verifies; a bad
 * signature, an expired or not-yet-valid token, the wrong issuer or audience, and every claim that disagrees
 * with the registration are refused with their own reason. (Revocation: {@code IdentityBusTest}.)
 */
final class IdentityVerifierTest
{
    private static final Set<String> CAPS = Set.of("trade", "quote");
    private static final IdentityTokens KEYS = new IdentityTokens("k1");
    private static final IdentityTokens OTHER = new IdentityTokens("k1");
    private static final IdentityVerifier VERIFIER =
        new IdentityVerifier(KEYS.verificationKeys(), IdentityTokens.ISSUER, IdentityTokens.AUDIENCE, Clock.systemUTC());

    private static JWTClaimsSet.Builder good()
    {
        return IdentityTokens.claims("trader-1", "executor", CAPS, "acme", MaciRole.IMPLEMENTER);
    }

    private static String refusal(final String token)
    {
        return refusal(token, "acme", MaciRole.IMPLEMENTER, CAPS, "executor");
    }

    private static String refusal(final String token, final String tenant, final MaciRole role, final Set<String> caps, final String type)
    {
        final AgentIdentityException e = assertThrows(AgentIdentityException.class,
            () -> VERIFIER.verify(token, "trader-1", type, caps, tenant, role));
        assertEquals("trader-1", e.agentId());
        assertTrue(e.getMessage().startsWith("Identity of agent 'trader-1' refused (" + e.reason() + "): "), e.getMessage());
        assertTrue(token == null || token.isBlank() || !e.getMessage().contains(token), "the token is never echoed");
        return e.reason();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void aGoodTokenVerifies(final String alg)
    {
        final IdentityVerifier.VerifiedIdentity v = VERIFIER.verify(KEYS.sign(alg, good().build()), "trader-1", "executor", CAPS, " ACME ",
            MaciRole.IMPLEMENTER);
        assertEquals(alg, v.algorithm());
        assertEquals("acme", v.tenantId());
        assertTrue(v.keyId().startsWith("k1-"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void aBadSignatureIsRefused(final String alg)
    {
        // Same kid, another key: only the signature can tell.
        assertEquals("bad_signature", refusal(OTHER.sign(alg, good().build())));
        // A token whose payload was swapped after signing.
        final String token = KEYS.sign(alg, good().build());
        final String[] parts = token.split("\\.");
        final String forged = parts[0] + "." + KEYS.sign(alg, good().subject("trader-1").claim("agent_type", "executor").build()).split("\\.")[1] +
            "x." + parts[2];
        assertTrue(Set.of("bad_signature", "malformed").contains(refusal(forged)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void anExpiredTokenIsRefused(final String alg)
    {
        final long now = System.currentTimeMillis();
        assertEquals("expired", refusal(KEYS.sign(alg, good().expirationTime(new Date(now - 120_000)).build())));
        assertEquals("expired", refusal(KEYS.sign(alg, good().expirationTime(null).build())), "exp is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void aTokenNotYetValidIsRefused(final String alg)
    {
        assertEquals("not_yet_valid", refusal(KEYS.sign(alg, good().notBeforeTime(new Date(System.currentTimeMillis() + 600_000)).build())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void theWrongIssuerIsRefused(final String alg)
    {
        assertEquals("wrong_issuer", refusal(KEYS.sign(alg, good().issuer("https://evil.example").build())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void theWrongAudienceIsRefused(final String alg)
    {
        assertEquals("wrong_audience", refusal(KEYS.sign(alg, good().audience("another-service").build())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void claimsThatDisagreeWithTheRegistrationAreRefused(final String alg)
    {
        final String token = KEYS.sign(alg, good().build());
        assertEquals("claim_mismatch", refusal(token, "globex", MaciRole.IMPLEMENTER, CAPS, "executor"), "tenant");
        assertEquals("claim_mismatch", refusal(token, "acme", MaciRole.JUDICIAL, CAPS, "executor"), "MACI role");
        assertEquals("claim_mismatch", refusal(token, "acme", null, CAPS, "executor"), "MACI role absent");
        assertEquals("claim_mismatch", refusal(token, "acme", MaciRole.IMPLEMENTER, Set.of("trade", "quote", "admin"), "executor"), "capabilities");
        assertEquals("claim_mismatch", refusal(token, "acme", MaciRole.IMPLEMENTER, CAPS, "planner"), "agent type");
        assertEquals("claim_mismatch", refusal(KEYS.sign(alg, good().subject("trader-2").build())), "agent id (sub)");
    }

    @Test
    void malformedMissingAndUnknownKeyTokensAreRefused()
    {
        assertEquals("missing_token", refusal(null));
        assertEquals("missing_token", refusal(" "));
        assertEquals("malformed", refusal("not.a.jwt"));
        assertEquals("unknown_key", refusal(KEYS.sign("RS256", good().build(), h -> h.keyID("nobody"))));
        // alg=none (an unsigned token) never verifies.
        final String unsigned = new com.nimbusds.jwt.PlainJWT(good().build()).serialize();
        assertTrue(Set.of("malformed", "unsupported_algorithm").contains(refusal(unsigned)));
    }

    @Test
    void anRsaPublicKeyCannotBeUsedAsAnHmacSecret()
    {
        // The classic algorithm confusion: HS256 signed with the RSA public key's bytes, presented with the RSA kid.
        final String kid = KEYS.verificationKeys().getKeys().get(1).getKeyID();
        final String token = KEYS.sign("HS256", good().build(), h -> h.keyID(kid));
        assertEquals("unknown_key", refusal(token));
    }

    @Test
    void issuerAndAudienceMustBeConfigured()
    {
        assertThrows(ConfigurationException.class, () -> new IdentityVerifier(KEYS.verificationKeys(), null, "a", Clock.systemUTC()));
        assertThrows(ConfigurationException.class, () -> new IdentityVerifier(KEYS.verificationKeys(), "i", " ", Clock.systemUTC()));
    }
}
