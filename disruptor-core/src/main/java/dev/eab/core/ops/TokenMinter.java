package dev.eab.core.ops;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eab.api.exception.ConfigurationException;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints HS256 bearer tokens that a {@link BearerAuth} configured with the same secret, issuer and audience
 * accepts: what {@code ./eab deliberations token} prints for operators, and what {@code ./eab serve --demo}
 * prints for its reviewer. Tokens signed with RSA or Ed25519 keys come from the organisation's identity
 * provider; this class deliberately only signs with the shared secret the server already holds.
 */
public final class TokenMinter
{
    /** Lifetime of a token unless asked otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(8);

    private TokenMinter()
    {
    }

    /**
     * @param secret   the HS256 secret (≥ {@value BearerAuth#MIN_HS256_SECRET_BYTES} bytes)
     * @param issuer   the {@code iss} claim
     * @param audience the {@code aud} claim
     * @param subject  the caller's identity ({@code sub}), recorded as the reviewer of its decisions
     * @param roles    the roles claim's value
     * @param roleClaim the claim name for roles
     * @param now      the issue time ({@code iat}, {@code nbf})
     * @param ttl      how long it is valid ({@code exp} = now + ttl)
     * @return the compact JWS
     */
    public static String mintHs256(
        final byte[] secret,
        final String issuer,
        final String audience,
        final String subject,
        final List<String> roles,
        final String roleClaim,
        final Instant now,
        final Duration ttl)
    {
        if (subject == null || subject.isBlank())
        {
            throw new ConfigurationException("subject", "a token needs a subject (the reviewer's name)");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero())
        {
            throw new ConfigurationException("ttl", "must be positive, not " + ttl);
        }
        if (secret == null || secret.length < BearerAuth.MIN_HS256_SECRET_BYTES)
        {
            throw new ConfigurationException(BearerAuth.ENV_HS256_SECRET, "the HS256 secret must be at least "
                + BearerAuth.MIN_HS256_SECRET_BYTES + " bytes");
        }
        final JWTClaimsSet claims = new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .subject(subject)
            .claim(roleClaim, roles)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .build();
        final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try
        {
            jwt.sign(new MACSigner(secret));
        }
        catch (final JOSEException e)
        {
            throw new ConfigurationException(BearerAuth.ENV_HS256_SECRET, "cannot sign: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
