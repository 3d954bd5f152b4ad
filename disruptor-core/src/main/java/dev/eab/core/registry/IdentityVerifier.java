package dev.eab.core.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eab.api.MaciRole;
import dev.eab.api.TenantIds;
import dev.eab.api.exception.AgentIdentityException;
import dev.eab.api.exception.ConfigurationException;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies the JWT an agent registers with (nimbus-jose-jwt). Accepted algorithms: HS256 (an {@code oct}
 * key), RS256 (an {@code RSA} key) and EdDSA (an {@code OKP} Ed25519 key); each algorithm only with its own
 * key type, so an RSA public key can never be used as an HMAC secret. Keys come from a JWKS (a file or a
 * {@link JWKSet}); a token's {@code kid} selects its key, otherwise every key of the right type is tried.
 *
 * <p>Checked, in order (the first failure is the reason): parse, algorithm, key, signature, expiry
 * ({@code exp} required), not-before, issuer, audience, then the claims against the registration:
 * {@code sub} = agent id, {@code tenant_id} = the normalised tenant, {@code agent_type}, {@code capabilities}
 * (the same set) and {@code maci_role} (absent when the registration has none). A clock skew of
 * {@link #DEFAULT_CLOCK_SKEW_SECONDS} is allowed on times.
 *
 * <p>Threading: immutable after construction; any thread.
 */
public final class IdentityVerifier
{
    /** Allowed clock difference between the token issuer and this host. */
    public static final long DEFAULT_CLOCK_SKEW_SECONDS = 30;
    public static final String CLAIM_TENANT = "tenant_id";
    public static final String CLAIM_AGENT_TYPE = "agent_type";
    public static final String CLAIM_CAPABILITIES = "capabilities";
    public static final String CLAIM_MACI_ROLE = "maci_role";
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.EdDSA);

    private final JWKSet keys;
    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final long skewMs;

    /**
     * @throws ConfigurationException when the issuer or audience is missing: a token whose issuer and audience
     *                                are not checked proves nothing about who it is for.
     */
    public IdentityVerifier(final JWKSet keys, final String issuer, final String audience, final Clock clock)
    {
        if (issuer == null || issuer.isBlank())
        {
            throw new ConfigurationException("identity_issuer", "identity tokens are configured but no issuer is (EAB_IDENTITY_ISSUER)");
        }
        if (audience == null || audience.isBlank())
        {
            throw new ConfigurationException("identity_audience", "identity tokens are configured but no audience is (EAB_IDENTITY_AUDIENCE)");
        }
        if (keys == null || keys.getKeys().isEmpty())
        {
            throw new ConfigurationException("identity_jwks_file", "the JWKS holds no keys");
        }
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.skewMs = DEFAULT_CLOCK_SKEW_SECONDS * 1000;
    }

    /** @throws ConfigurationException when the file cannot be read or is not a JWKS. */
    public static IdentityVerifier fromJwksFile(final Path file, final String issuer, final String audience)
    {
        try
        {
            return new IdentityVerifier(JWKSet.load(file.toFile()), issuer, audience, Clock.systemUTC());
        }
        catch (final IOException | ParseException e)
        {
            throw new ConfigurationException("identity_jwks_file", "cannot load the JWKS " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The claims a token proved, for the registration and its audit record.
     *
     * @param keyId     the key that verified the signature ({@code kid}, or "").
     * @param algorithm the JWS algorithm.
     * @param tokenId   the token's {@code jti}, or "".
     */
    public record VerifiedIdentity(String agentId, String tenantId, String keyId, String algorithm, String tokenId) { }

    /**
     * @return what the token proved.
     * @throws AgentIdentityException with the first reason the token fails.
     */
    public VerifiedIdentity verify(
        final String token, final String agentId, final String agentType, final Set<String> capabilities, final String tenantId,
        final MaciRole role)
    {
        if (token == null || token.isBlank())
        {
            throw new AgentIdentityException(agentId, "missing_token", "no identity token was given");
        }
        final SignedJWT jwt;
        final JWTClaimsSet claims;
        try
        {
            jwt = SignedJWT.parse(token.strip());
            claims = jwt.getJWTClaimsSet();
        }
        catch (final ParseException e)
        {
            throw new AgentIdentityException(agentId, "malformed", "not a signed JWT (" + e.getMessage() + ")");
        }
        final JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALLOWED.contains(alg))
        {
            throw new AgentIdentityException(agentId, "unsupported_algorithm", "algorithm " + alg + " is not one of HS256, RS256, EdDSA");
        }
        final String kid = jwt.getHeader().getKeyID();
        final List<JWK> candidates = candidates(alg, kid);
        if (candidates.isEmpty())
        {
            throw new AgentIdentityException(agentId, "unknown_key", "no " + alg + " key" + (kid == null ? "" : " with kid '" + kid + "'") +
                " is configured");
        }
        JWK verifiedBy = null;
        for (final JWK k : candidates)
        {
            try
            {
                if (jwt.verify(verifier(alg, k)))
                {
                    verifiedBy = k;
                    break;
                }
            }
            catch (final JOSEException | RuntimeException e)
            {
                // A key that cannot verify this token (wrong size, bad key) is a failed candidate, not a pass.
            }
        }
        if (verifiedBy == null)
        {
            throw new AgentIdentityException(agentId, "bad_signature", "the " + alg + " signature does not verify with " +
                (kid == null ? "any configured key" : "key '" + kid + "'"));
        }
        checkTimes(agentId, claims);
        if (!issuer.equals(claims.getIssuer()))
        {
            throw new AgentIdentityException(agentId, "wrong_issuer", "issuer '" + claims.getIssuer() + "' is not the trusted '" + issuer + "'");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience))
        {
            throw new AgentIdentityException(agentId, "wrong_audience", "audience " + claims.getAudience() + " does not name '" + audience + "'");
        }
        checkClaims(agentId, agentType, capabilities, tenantId, role, claims);
        return new VerifiedIdentity(agentId, TenantIds.normalize(tenantId), kid == null ? "" : kid, alg.getName(),
            claims.getJWTID() == null ? "" : claims.getJWTID());
    }

    private List<JWK> candidates(final JWSAlgorithm alg, final String kid)
    {
        final List<JWK> out = new ArrayList<>();
        for (final JWK k : keys.getKeys())
        {
            if (kid != null && !kid.equals(k.getKeyID()))
            {
                continue;
            }
            if (k.getAlgorithm() != null && !k.getAlgorithm().getName().equals(alg.getName()))
            {
                continue;
            }
            final boolean fits = alg.equals(JWSAlgorithm.HS256) ? k instanceof OctetSequenceKey
                : alg.equals(JWSAlgorithm.RS256) ? k instanceof RSAKey
                : k instanceof OctetKeyPair;
            if (fits)
            {
                out.add(k);
            }
        }
        return out;
    }

    private static JWSVerifier verifier(final JWSAlgorithm alg, final JWK k) throws JOSEException
    {
        if (alg.equals(JWSAlgorithm.HS256))
        {
            return new MACVerifier((OctetSequenceKey)k);
        }
        if (alg.equals(JWSAlgorithm.RS256))
        {
            return new RSASSAVerifier(((RSAKey)k).toRSAPublicKey());
        }
        return new Ed25519JdkVerifier(((OctetKeyPair)k).toPublicJWK());
    }

    private void checkTimes(final String agentId, final JWTClaimsSet claims)
    {
        final long now = clock.millis();
        final Date exp = claims.getExpirationTime();
        if (exp == null)
        {
            throw new AgentIdentityException(agentId, "expired", "the token has no expiry (exp is required)");
        }
        if (now - skewMs >= exp.getTime())
        {
            throw new AgentIdentityException(agentId, "expired", "the token expired at " + exp.toInstant());
        }
        final Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now + skewMs < nbf.getTime())
        {
            throw new AgentIdentityException(agentId, "not_yet_valid", "the token is not valid before " + nbf.toInstant());
        }
    }

    private static void checkClaims(
        final String agentId, final String agentType, final Set<String> capabilities, final String tenantId, final MaciRole role,
        final JWTClaimsSet claims)
    {
        if (!Objects.equals(agentId, claims.getSubject()))
        {
            throw mismatch(agentId, "sub", claims.getSubject(), agentId);
        }
        final String tenant = TenantIds.normalize(tenantId);
        final Object tokenTenant = claims.getClaim(CLAIM_TENANT);
        if (!Objects.equals(tenant, tokenTenant == null ? null : TenantIds.normalize(tokenTenant.toString())))
        {
            throw mismatch(agentId, CLAIM_TENANT, tokenTenant, tenant);
        }
        final String type = agentType == null || agentType.isBlank() ? "worker" : agentType;
        final Object tokenType = claims.getClaim(CLAIM_AGENT_TYPE);
        if (!type.equals(tokenType))
        {
            throw mismatch(agentId, CLAIM_AGENT_TYPE, tokenType, type);
        }
        final Set<String> caps = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        final Set<String> tokenCaps;
        try
        {
            final List<String> listed = claims.getStringListClaim(CLAIM_CAPABILITIES);
            tokenCaps = listed == null ? Set.of() : new HashSet<>(listed);
        }
        catch (final ParseException e)
        {
            throw mismatch(agentId, CLAIM_CAPABILITIES, claims.getClaim(CLAIM_CAPABILITIES), caps);
        }
        if (!caps.equals(tokenCaps))
        {
            throw mismatch(agentId, CLAIM_CAPABILITIES, tokenCaps, caps);
        }
        final Object tokenRole = claims.getClaim(CLAIM_MACI_ROLE);
        final String roleName = role == null ? null : role.name();
        final String tokenRoleName = tokenRole == null ? null : tokenRole.toString().strip().toUpperCase(java.util.Locale.ROOT);
        if (!Objects.equals(roleName, tokenRoleName))
        {
            throw mismatch(agentId, CLAIM_MACI_ROLE, tokenRole, roleName);
        }
    }

    private static AgentIdentityException mismatch(final String agentId, final String claim, final Object token, final Object registration)
    {
        return new AgentIdentityException(agentId, "claim_mismatch", "claim '" + claim + "' is " + token + " but the registration says " + registration);
    }
}
