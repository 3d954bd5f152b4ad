package dev.eab.core.ops;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.eab.api.exception.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BearerAuthTest
{
    private final BearerAuth auth = TestTokens.hs256Auth();

    private TokenRejectedException refused(final BearerAuth verifier, final String token, final String role)
    {
        return assertThrows(TokenRejectedException.class, () -> verifier.verify(token == null ? null : "Bearer " + token, role));
    }

    private void assertRefused(final String token, final int status, final String reason)
    {
        final TokenRejectedException e = refused(auth, token, BearerAuth.REVIEWER_ROLE);
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void acceptsAGoodHs256TokenAndReturnsItsSubjectAndRoles()
    {
        final BearerAuth.Caller caller = auth.verify("Bearer " + TestTokens.reviewer("alice"), BearerAuth.REVIEWER_ROLE);
        assertEquals("alice", caller.subject());
        assertTrue(caller.roles().contains(BearerAuth.REVIEWER_ROLE));
        assertEquals(1L, auth.counts().get("accepted"));
        // The scheme is case-insensitive (RFC 7235).
        assertEquals("alice", auth.verify("bearer " + TestTokens.reviewer("alice"), BearerAuth.REVIEWER_ROLE).subject());
    }

    @Test
    void refusesMissingMalformedAndUnsignedTokens()
    {
        assertRefused(null, 401, "missing_token");
        assertEquals("missing_token", refused(auth, null, BearerAuth.REVIEWER_ROLE).reason());
        assertEquals("missing_token", assertThrows(TokenRejectedException.class,
            () -> auth.verify("Basic YWxpY2U6cHc=", BearerAuth.REVIEWER_ROLE)).reason());
        assertRefused("not.a.jwt", 401, "malformed_token");
        assertRefused("x".repeat(BearerAuth.MAX_TOKEN_CHARS), 401, "malformed_token");
        assertRefused(TestTokens.unsecured(TestTokens.claims("alice").build()), 401, "malformed_token");
        final Map<?, ?> refusedCounts = (Map<?, ?>)auth.counts().get("refused");
        assertTrue((Long)refusedCounts.get("malformed_token") >= 3, refusedCounts.toString());
    }

    @Test
    void refusesABadSignature()
    {
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").build(), TestTokens.OTHER_SECRET), 401, "bad_signature");
        // A good token with one payload character changed.
        final String[] parts = TestTokens.reviewer("alice").split("\\.");
        final String forged = parts[0] + "." + Base64URL.encode(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("alice", "mallo")) + "." + parts[2];
        assertRefused(forged, 401, "bad_signature");
    }

    @Test
    void checksExpiryAndNotBeforeWithTheClockSkew()
    {
        final Instant now = Instant.now();
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").expirationTime(Date.from(now.minusSeconds(120))).build(),
            TestTokens.SECRET), 401, "expired");
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").expirationTime(null).build(), TestTokens.SECRET), 401, "no_expiry");
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").notBeforeTime(Date.from(now.plusSeconds(120))).build(),
            TestTokens.SECRET), 401, "not_yet_valid");
        // Within the skew (30 s) both pass; with a clock 31 s later the same token has expired.
        final String justExpired = TestTokens.hs256(TestTokens.claims("alice").expirationTime(Date.from(now.minusSeconds(10))).build(),
            TestTokens.SECRET);
        assertEquals("alice", auth.verify("Bearer " + justExpired, BearerAuth.REVIEWER_ROLE).subject());
        final BearerAuth strict = BearerAuth.builder().hs256Secret(TestTokens.SECRET).clockSkew(Duration.ZERO).build();
        assertEquals("expired", refused(strict, justExpired, BearerAuth.REVIEWER_ROLE).reason());
        final BearerAuth later = BearerAuth.builder().hs256Secret(TestTokens.SECRET)
            .clock(Clock.fixed(now.plus(TokenMinter.DEFAULT_TTL).plusSeconds(31), ZoneOffset.UTC)).build();
        assertEquals("expired", refused(later, TestTokens.reviewer("alice"), BearerAuth.REVIEWER_ROLE).reason());
    }

    @Test
    void checksIssuerAudienceAndSubject()
    {
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").issuer("someone-else").build(), TestTokens.SECRET), 401, "wrong_issuer");
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").issuer(null).build(), TestTokens.SECRET), 401, "wrong_issuer");
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").audience("other-api").build(), TestTokens.SECRET), 401, "wrong_audience");
        assertRefused(TestTokens.hs256(TestTokens.claims("alice").audience((String)null).build(), TestTokens.SECRET), 401, "wrong_audience");
        assertRefused(TestTokens.hs256(TestTokens.claims(null).build(), TestTokens.SECRET), 401, "no_subject");
        // Several audiences, one of them ours: accepted.
        final String multi = TestTokens.hs256(TestTokens.claims("alice").audience(List.of("x", BearerAuth.DEFAULT_AUDIENCE)).build(),
            TestTokens.SECRET);
        assertEquals("alice", auth.verify("Bearer " + multi, BearerAuth.REVIEWER_ROLE).subject());
    }

    @Test
    void aGoodTokenWithoutTheRoleIs403()
    {
        assertRefused(TestTokens.hs256(TestTokens.claims("bob").claim("roles", List.of("viewer")).build(), TestTokens.SECRET),
            403, "insufficient_role");
        assertRefused(TestTokens.hs256(TestTokens.claims("bob").claim("roles", null).build(), TestTokens.SECRET), 403, "insufficient_role");
        // The admin role is a different role: a reviewer token does not open admin routes, and vice versa.
        assertEquals(403, refused(auth, TestTokens.reviewer("alice"), BearerAuth.ADMIN_ROLE).status());
        // A space-separated string works like a list.
        final String spaced = TestTokens.hs256(TestTokens.claims("carol").claim("roles", "admin reviewer").build(), TestTokens.SECRET);
        assertEquals("carol", auth.verify("Bearer " + spaced, BearerAuth.ADMIN_ROLE).subject());
    }

    @Test
    void withNoKeysConfiguredEveryTokenIsRefused()
    {
        final BearerAuth none = BearerAuth.builder().build();
        assertFalse(none.hasKeys());
        assertEquals("no_keys", refused(none, TestTokens.reviewer("alice"), BearerAuth.REVIEWER_ROLE).reason());
    }

    @Test
    void rs256FromAPemFileAndNoAlgorithmConfusion(@TempDir final Path dir) throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair rsa = generator.generateKeyPair();
        final Path pem = dir.resolve("rsa.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsa.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
        final BearerAuth rsaAuth = BearerAuth.fromEnvironment(Map.of(BearerAuth.ENV_PUBLIC_KEYS, pem.toString()));
        assertEquals("dave", rsaAuth.verify("Bearer " + TestTokens.rs256(TestTokens.claims("dave").build(), rsa.getPrivate(), null),
            BearerAuth.REVIEWER_ROLE).subject());
        final KeyPair otherRsa = generator.generateKeyPair();
        assertEquals("bad_signature", refused(rsaAuth, TestTokens.rs256(TestTokens.claims("dave").build(), otherRsa.getPrivate(), null),
            BearerAuth.REVIEWER_ROLE).reason());
        // The classic confusion: an HS256 token "signed" with the RSA public key's bytes must not pass.
        final byte[] publicBytes = Arrays.copyOf(rsa.getPublic().getEncoded(), rsa.getPublic().getEncoded().length);
        assertEquals("algorithm_not_accepted", refused(rsaAuth, TestTokens.hs256(TestTokens.claims("eve").build(), publicBytes),
            BearerAuth.REVIEWER_ROLE).reason());
        // And an HS256-only server refuses RS256 tokens.
        assertEquals("algorithm_not_accepted", refused(auth, TestTokens.rs256(TestTokens.claims("dave").build(), rsa.getPrivate(), null),
            BearerAuth.REVIEWER_ROLE).reason());
    }

    @Test
    void eddsaAndRs256FromAJwksFileMatchedByKid(@TempDir final Path dir) throws Exception
    {
        final KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        final byte[] spki = ed.getPublic().getEncoded();
        final byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        final KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        final KeyPair rsa = rsaGenerator.generateKeyPair();
        final JWKSet set = new JWKSet(List.of(
            new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID("ed-1").build(),
            new RSAKey.Builder((RSAPublicKey)rsa.getPublic()).keyID("rsa-1").build()));
        final Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, set.toString());
        final BearerAuth jwksAuth = BearerAuth.fromEnvironment(Map.of(BearerAuth.ENV_JWKS_FILE, jwks.toString(),
            BearerAuth.ENV_ISSUER, "https://idp.example", BearerAuth.ENV_AUDIENCE, "eab-prod"));
        final JWTClaimsSet claims = TestTokens.claims("frank").issuer("https://idp.example").audience("eab-prod").build();
        assertEquals("frank", jwksAuth.verify("Bearer " + TestTokens.eddsa(claims, ed.getPrivate(), "ed-1"), BearerAuth.REVIEWER_ROLE).subject());
        assertEquals("frank", jwksAuth.verify("Bearer " + TestTokens.rs256(claims, rsa.getPrivate(), "rsa-1"), BearerAuth.REVIEWER_ROLE).subject());
        final KeyPair otherEd = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertEquals("bad_signature", refused(jwksAuth, TestTokens.eddsa(claims, otherEd.getPrivate(), "ed-1"), BearerAuth.REVIEWER_ROLE).reason());
        assertEquals("algorithm_not_accepted", refused(jwksAuth, TestTokens.eddsa(claims, ed.getPrivate(), "unknown-kid"),
            BearerAuth.REVIEWER_ROLE).reason());
        // The default issuer no longer passes on this server.
        assertEquals("wrong_issuer", refused(jwksAuth, TestTokens.eddsa(TestTokens.claims("frank").audience("eab-prod").build(),
            ed.getPrivate(), "ed-1"), BearerAuth.REVIEWER_ROLE).reason());
    }

    @Test
    void configurationErrorsAreTypedAndNameTheVariable(@TempDir final Path dir) throws Exception
    {
        final ConfigurationException shortSecret = assertThrows(ConfigurationException.class,
            () -> BearerAuth.fromEnvironment(Map.of(BearerAuth.ENV_HS256_SECRET, "too-short")));
        assertTrue(shortSecret.getMessage().contains(BearerAuth.ENV_HS256_SECRET), shortSecret.getMessage());
        final Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        final ConfigurationException badPem = assertThrows(ConfigurationException.class,
            () -> BearerAuth.fromEnvironment(Map.of(BearerAuth.ENV_PUBLIC_KEYS, junk.toString())));
        assertTrue(badPem.getMessage().contains(BearerAuth.ENV_PUBLIC_KEYS), badPem.getMessage());
        assertThrows(ConfigurationException.class, () -> BearerAuth.fromEnvironment(Map.of(BearerAuth.ENV_JWKS_FILE, dir.resolve("none").toString())));
        assertThrows(ConfigurationException.class, () -> BearerAuth.fromEnvironment(Map.of(BearerAuth.ENV_CLOCK_SKEW_S, "soon")));
        final Path secretFile = dir.resolve("secret");
        Files.writeString(secretFile, new String(TestTokens.SECRET, StandardCharsets.UTF_8) + "\n");
        final BearerAuth fromFile = BearerAuth.fromEnvironment(Map.of(BearerAuth.ENV_HS256_SECRET_FILE, secretFile.toString()));
        assertEquals("alice", fromFile.verify("Bearer " + TestTokens.reviewer("alice"), BearerAuth.REVIEWER_ROLE).subject());
    }
}
