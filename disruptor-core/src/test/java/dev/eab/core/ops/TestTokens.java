package dev.eab.core.ops;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Builds tokens for the auth tests: good ones and each kind of bad one. */
public final class TestTokens
{
    public static final byte[] SECRET = "test-secret-for-the-ops-endpoints-0123456789".getBytes(StandardCharsets.UTF_8);
    public static final byte[] OTHER_SECRET = "another-secret-nobody-configured-0123456789".getBytes(StandardCharsets.UTF_8);

    private TestTokens()
    {
    }

    public static BearerAuth hs256Auth()
    {
        return BearerAuth.builder().hs256Secret(SECRET).build();
    }

    /** A valid reviewer token for {@code subject}, signed with {@link #SECRET}. */
    public static String reviewer(final String subject)
    {
        return TokenMinter.mintHs256(SECRET, BearerAuth.DEFAULT_ISSUER, BearerAuth.DEFAULT_AUDIENCE, subject,
            List.of(BearerAuth.REVIEWER_ROLE), BearerAuth.DEFAULT_ROLE_CLAIM, Instant.now(), TokenMinter.DEFAULT_TTL);
    }

    /** Claims of a valid reviewer token, to be altered by a test. */
    public static JWTClaimsSet.Builder claims(final String subject)
    {
        final Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
            .issuer(BearerAuth.DEFAULT_ISSUER)
            .audience(BearerAuth.DEFAULT_AUDIENCE)
            .subject(subject)
            .claim(BearerAuth.DEFAULT_ROLE_CLAIM, List.of(BearerAuth.REVIEWER_ROLE))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(600)));
    }

    public static String hs256(final JWTClaimsSet claims, final byte[] secret)
    {
        try
        {
            final SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        }
        catch (final JOSEException e)
        {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(final JWTClaimsSet claims, final PrivateKey key, final String kid)
    {
        try
        {
            final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
        catch (final JOSEException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** An EdDSA token signed with the JDK's Ed25519 (nimbus's own Ed25519 signer needs Tink). */
    public static String eddsa(final JWTClaimsSet claims, final PrivateKey key, final String kid) throws GeneralSecurityException
    {
        final JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid).build();
        final Base64URL h = header.toBase64URL();
        final Base64URL p = Base64URL.encode(claims.toString());
        final Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update((h + "." + p).getBytes(StandardCharsets.US_ASCII));
        return h + "." + p + "." + Base64URL.encode(signer.sign());
    }

    /** The unsecured form ({@code alg: none}) of the claims. */
    public static String unsecured(final JWTClaimsSet claims)
    {
        return Base64URL.encode("{\"alg\":\"none\"}") + "." + Base64URL.encode(claims.toString()) + ".";
    }
}
