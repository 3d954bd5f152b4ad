package dev.eab.core.ops;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.core.registry.Ed25519JdkVerifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Verifies the bearer tokens (JWTs) that callers of the ops endpoints present, and the role they need: a reviewer
 * for the deliberation endpoints, an admin for drills. One instance per server, shared by every route; immutable
 * apart from its counters, so any request thread may call it.
 *
 * <p>A token passes only if all hold: it is a compact JWS whose algorithm matches a configured key's type (HS256
 * for the shared secret, RS256 for RSA public keys, EdDSA for Ed25519 public keys: so an RSA public key can
 * never be used as an HMAC secret, and {@code alg: none} is never accepted); the signature verifies; it has an
 * expiry ({@code exp}) not past, and a not-before ({@code nbf}), when present, not in the future (both with the
 * configured clock skew); its issuer equals the configured one; its audience contains the configured one; it
 * names a subject ({@code sub}, the caller's identity as recorded on a decision). Then the role claim (default
 * {@code roles}: a list of strings, or one string) must contain the role the route needs. Failures before the
 * role are 401 ({@code invalid_token}); a good token without the role is 403 ({@code insufficient_role}).
 *
 * <p>Keys come from configuration ({@link #fromEnvironment(Map)}, {@link Builder}); with none configured every
 * token is refused (fail closed). Signature verification uses nimbus-jose-jwt for HS256 and RS256, and the JDK's
 * own Ed25519 for EdDSA (nimbus's Ed25519 verifier needs Google Tink; the JDK has had EdDSA since 15).
 */
public final class BearerAuth
{
    /** The role the deliberation endpoints need. */
    public static final String REVIEWER_ROLE = "reviewer";
    /**
     * The role {@code POST /deliberations/{id}/vote} needs; the token's subject must also be a registered JUDICIAL
     * agent (checked by the deliberation queue, not here).
     */
    public static final String JUDGE_ROLE = "judge";
    /** The role admin endpoints (chaos drills, policy reload) need. */
    public static final String ADMIN_ROLE = "admin";
    /** Issuer expected unless configured: {@value}. */
    public static final String DEFAULT_ISSUER = "eab";
    /** Audience expected unless configured: {@value}. */
    public static final String DEFAULT_AUDIENCE = "eab-ops";
    /** Claim holding the caller's roles unless configured: {@value}. */
    public static final String DEFAULT_ROLE_CLAIM = "roles";
    /** Tolerance for clocks that disagree, applied to exp and nbf, unless configured. */
    public static final long DEFAULT_CLOCK_SKEW_S = 30;
    /** Shortest HS256 secret accepted, bytes (RFC 7518 §3.2: at least the hash's size). */
    public static final int MIN_HS256_SECRET_BYTES = 32;
    /** Longest Authorization header value read; real tokens are a few hundred characters. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;

    /** Environment variable: the HS256 shared secret (at least 32 bytes of UTF-8). */
    public static final String ENV_HS256_SECRET = "EAB_AUTH_HS256_SECRET";
    /** Environment variable: a file holding the HS256 secret (trailing newline ignored). */
    public static final String ENV_HS256_SECRET_FILE = "EAB_AUTH_HS256_SECRET_FILE";
    /** Environment variable: comma-separated PEM files with RSA or Ed25519 public keys. */
    public static final String ENV_PUBLIC_KEYS = "EAB_AUTH_PUBLIC_KEYS";
    /** Environment variable: a JWKS file (RSA and Ed25519 OKP public keys, matched by kid). */
    public static final String ENV_JWKS_FILE = "EAB_AUTH_JWKS_FILE";
    /** Environment variable: the expected issuer. */
    public static final String ENV_ISSUER = "EAB_AUTH_ISSUER";
    /** Environment variable: the expected audience. */
    public static final String ENV_AUDIENCE = "EAB_AUTH_AUDIENCE";
    /** Environment variable: the claim holding roles. */
    public static final String ENV_ROLE_CLAIM = "EAB_AUTH_ROLE_CLAIM";
    /** Environment variable: the clock skew, seconds. */
    public static final String ENV_CLOCK_SKEW_S = "EAB_AUTH_CLOCK_SKEW_S";

    private static final Logger LOG = Logger.getLogger(BearerAuth.class.getName());
    private static final String BEARER_PREFIX = "bearer ";
    // DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112), followed by the 32-byte key.

    private final String issuer;
    private final String audience;
    private final String roleClaim;
    private final Duration clockSkew;
    private final Clock clock;
    private final byte[] hs256Secret;
    private final List<VerificationKey> publicKeys;
    private final AtomicLong accepted = new AtomicLong();
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

    /** The caller a token proved: its subject and roles. */
    public record Caller(String subject, Set<String> roles, Instant expiresAt)
    {
    }

    /** A public key and the key id ({@code kid}) it answers to (null: any). */
    private record VerificationKey(String keyId, PublicKey key)
    {
        boolean isRsa()
        {
            return key instanceof RSAPublicKey;
        }
    }

    private BearerAuth(final Builder b)
    {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.roleClaim = b.roleClaim;
        this.clockSkew = b.clockSkew;
        this.clock = b.clock;
        this.hs256Secret = b.hs256Secret == null ? null : b.hs256Secret.clone();
        this.publicKeys = List.copyOf(b.publicKeys);
    }

    /** @return a builder with the defaults (issuer {@value #DEFAULT_ISSUER}, audience {@value #DEFAULT_AUDIENCE}, no keys). */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Reads {@code EAB_AUTH_*} (see the {@code ENV_*} constants): keys from a secret, PEM files and/or a JWKS
     * file; issuer, audience, role claim and clock skew. No key at all is allowed (every token is then refused);
     * a key that cannot be read or is too weak is a {@link ConfigurationException} naming the variable.
     */
    public static BearerAuth fromEnvironment(final Map<String, String> env)
    {
        return builderFromEnvironment(env).build();
    }

    /** @return a builder holding what {@link #fromEnvironment(Map)} reads, for a caller that adds a key of its own. */
    public static Builder builderFromEnvironment(final Map<String, String> env)
    {
        final Builder b = builder();
        final String issuer = env.get(ENV_ISSUER);
        if (issuer != null && !issuer.isBlank())
        {
            b.issuer(issuer.trim());
        }
        final String audience = env.get(ENV_AUDIENCE);
        if (audience != null && !audience.isBlank())
        {
            b.audience(audience.trim());
        }
        final String roleClaim = env.get(ENV_ROLE_CLAIM);
        if (roleClaim != null && !roleClaim.isBlank())
        {
            b.roleClaim(roleClaim.trim());
        }
        final String skew = env.get(ENV_CLOCK_SKEW_S);
        if (skew != null && !skew.isBlank())
        {
            try
            {
                b.clockSkew(Duration.ofSeconds(Long.parseLong(skew.trim())));
            }
            catch (final NumberFormatException | ConfigurationException e)
            {
                throw new ConfigurationException(ENV_CLOCK_SKEW_S, "must be a whole number of seconds >= 0, not '" + skew + "'");
            }
        }
        final byte[] secret = hs256SecretFromEnvironment(env);
        if (secret != null)
        {
            b.hs256Secret(secret);
        }
        final String pemFiles = env.get(ENV_PUBLIC_KEYS);
        if (pemFiles != null && !pemFiles.isBlank())
        {
            for (final String file : pemFiles.split(","))
            {
                if (!file.isBlank())
                {
                    b.publicKeyPem(ENV_PUBLIC_KEYS, Path.of(file.trim()));
                }
            }
        }
        final String jwks = env.get(ENV_JWKS_FILE);
        if (jwks != null && !jwks.isBlank())
        {
            b.jwksFile(Path.of(jwks.trim()));
        }
        return b;
    }

    /**
     * @return the HS256 secret configured by {@link #ENV_HS256_SECRET} or {@link #ENV_HS256_SECRET_FILE}, or null
     *     when neither is set; also what {@code ./eab deliberations token} signs with.
     */
    public static byte[] hs256SecretFromEnvironment(final Map<String, String> env)
    {
        final String secret = env.get(ENV_HS256_SECRET);
        final String file = env.get(ENV_HS256_SECRET_FILE);
        if (secret != null && !secret.isEmpty())
        {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        if (file != null && !file.isBlank())
        {
            try
            {
                return Files.readString(Path.of(file.trim())).strip().getBytes(StandardCharsets.UTF_8);
            }
            catch (final IOException | RuntimeException e)
            {
                throw new ConfigurationException(ENV_HS256_SECRET_FILE, "cannot read '" + file + "': " + e.getMessage(), e);
            }
        }
        return null;
    }

    /** @return true when at least one key is configured (otherwise every token is refused). */
    public boolean hasKeys()
    {
        return hs256Secret != null || !publicKeys.isEmpty();
    }

    /** @return the issuer tokens must carry. */
    public String issuer()
    {
        return issuer;
    }

    /** @return the audience tokens must include. */
    public String audience()
    {
        return audience;
    }

    /** @return the claim holding the roles. */
    public String roleClaim()
    {
        return roleClaim;
    }

    /** @return tokens accepted and refused (by reason code) so far: {@code {"accepted":n,"refused":{...}}}. */
    public Map<String, Object> counts()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", accepted.get());
        final Map<String, Object> byReason = new LinkedHashMap<>();
        refused.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> byReason.put(e.getKey(), e.getValue().get()));
        out.put("refused", byReason);
        return out;
    }

    /**
     * Authenticates a request for a route needing {@code role}. On failure the 401/403 JSON error (with a
     * {@code WWW-Authenticate} header, RFC 6750) has been sent and null is returned: the route just returns.
     *
     * @return the caller, or null when refused (already answered)
     */
    public Caller authenticate(final HttpExchange exchange, final String role) throws IOException
    {
        try
        {
            return verify(exchange.getRequestHeaders().getFirst("Authorization"), role);
        }
        catch (final TokenRejectedException e)
        {
            final String error = e.status() == 403 ? "insufficient_scope" : "invalid_token";
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"eab\", error=\"" + error + "\"");
            OpsServer.sendError(exchange, e.status(), e.code(), e.getMessage());
            return null;
        }
    }

    /**
     * Verifies an {@code Authorization} header value ({@code Bearer <JWT>}) for a route needing {@code role}.
     *
     * @throws TokenRejectedException 401 for a missing, malformed, badly signed, expired, not-yet-valid token or
     *                                a wrong issuer/audience/subject; 403 for a good token without the role
     */
    public Caller verify(final String authorization, final String role)
    {
        try
        {
            final Caller caller = verifyOrThrow(authorization, role);
            accepted.incrementAndGet();
            return caller;
        }
        catch (final TokenRejectedException e)
        {
            refused.computeIfAbsent(e.reason(), k -> new AtomicLong()).incrementAndGet();
            throw e;
        }
    }

    private Caller verifyOrThrow(final String authorization, final String role)
    {
        if (authorization == null || authorization.isBlank())
        {
            throw unauthorized("missing_token", "no bearer token: send 'Authorization: Bearer <JWT>'");
        }
        if (authorization.length() > MAX_TOKEN_CHARS)
        {
            throw unauthorized("malformed_token", "Authorization header longer than " + MAX_TOKEN_CHARS + " characters");
        }
        if (!authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length()))
        {
            throw unauthorized("missing_token", "Authorization is not a Bearer token");
        }
        if (!hasKeys())
        {
            throw unauthorized("no_keys", "this server has no token verification keys configured (see "
                + ENV_HS256_SECRET + ", " + ENV_PUBLIC_KEYS + ", " + ENV_JWKS_FILE + ")");
        }
        final SignedJWT jwt;
        final JWTClaimsSet claims;
        try
        {
            jwt = SignedJWT.parse(authorization.substring(BEARER_PREFIX.length()).trim());
            claims = jwt.getJWTClaimsSet();
        }
        catch (final ParseException | RuntimeException e)
        {
            throw unauthorized("malformed_token", "not a signed JWT (" + dev.eab.api.exception.ThrowableText.message(e) + ")");
        }
        verifySignature(jwt);
        final Instant now = clock.instant();
        final Date exp = claims.getExpirationTime();
        if (exp == null)
        {
            throw unauthorized("no_expiry", "token has no expiry (exp)");
        }
        if (now.isAfter(exp.toInstant().plus(clockSkew)))
        {
            throw unauthorized("expired", "token expired at " + exp.toInstant());
        }
        final Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant()))
        {
            throw unauthorized("not_yet_valid", "token not valid before " + nbf.toInstant());
        }
        if (!issuer.equals(claims.getIssuer()))
        {
            throw unauthorized("wrong_issuer", "token issuer " + quoted(claims.getIssuer()) + " is not '" + issuer + "'");
        }
        final List<String> audiences = claims.getAudience();
        if (audiences == null || !audiences.contains(audience))
        {
            throw unauthorized("wrong_audience", "token audience " + audiences + " does not include '" + audience + "'");
        }
        final String subject = claims.getSubject();
        if (subject == null || subject.isBlank())
        {
            throw unauthorized("no_subject", "token names no subject (sub)");
        }
        final Set<String> roles = roles(claims);
        if (!roles.contains(role))
        {
            throw new TokenRejectedException(403, "insufficient_role", "insufficient_role",
                "token for '" + subject + "' lacks the '" + role + "' role (claim '" + roleClaim + "': " + roles + ")");
        }
        return new Caller(subject, roles, exp.toInstant());
    }

    private void verifySignature(final SignedJWT jwt)
    {
        final JWSHeader header = jwt.getHeader();
        final JWSAlgorithm alg = header.getAlgorithm();
        final String kid = header.getKeyID();
        try
        {
            if (JWSAlgorithm.HS256.equals(alg))
            {
                if (hs256Secret == null)
                {
                    throw unauthorized("algorithm_not_accepted", "HS256 tokens are not accepted here (no shared secret configured)");
                }
                if (jwt.verify(new MACVerifier(hs256Secret)))
                {
                    return;
                }
            }
            else if (JWSAlgorithm.RS256.equals(alg))
            {
                for (final VerificationKey key : candidates(kid, true))
                {
                    if (jwt.verify(new RSASSAVerifier((RSAPublicKey)key.key())))
                    {
                        return;
                    }
                }
            }
            else if (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg))
            {
                for (final VerificationKey key : candidates(kid, false))
                {
                    if (jwt.verify(new Ed25519JdkVerifier(key.key())))
                    {
                        return;
                    }
                }
            }
            else
            {
                throw unauthorized("algorithm_not_accepted", "algorithm " + alg + " is not accepted (HS256, RS256, EdDSA)");
            }
        }
        catch (final JOSEException | RuntimeException e)
        {
            if (e instanceof TokenRejectedException rejected)
            {
                throw rejected;
            }
            throw unauthorized("bad_signature", "signature check failed (" + dev.eab.api.exception.ThrowableText.message(e) + ")");
        }
        throw unauthorized("bad_signature", "signature does not verify");
    }

    private List<VerificationKey> candidates(final String kid, final boolean rsa)
    {
        final List<VerificationKey> out = new ArrayList<>();
        for (final VerificationKey key : publicKeys)
        {
            if (key.isRsa() == rsa && (kid == null || key.keyId() == null || kid.equals(key.keyId())))
            {
                out.add(key);
            }
        }
        if (out.isEmpty())
        {
            throw unauthorized("algorithm_not_accepted", "no " + (rsa ? "RSA" : "Ed25519") + " public key configured"
                + (kid == null ? "" : " with kid '" + kid + "'"));
        }
        return out;
    }

    private Set<String> roles(final JWTClaimsSet claims)
    {
        final Object value = claims.getClaim(roleClaim);
        final Set<String> roles = new LinkedHashSet<>();
        if (value instanceof String s)
        {
            // One string: a space-separated list, as OAuth's "scope" is.
            roles.addAll(Arrays.asList(s.trim().split("\\s+")));
        }
        else if (value instanceof Collection<?> list)
        {
            for (final Object o : list)
            {
                if (o instanceof String s)
                {
                    roles.add(s);
                }
            }
        }
        roles.remove("");
        return Set.copyOf(roles);
    }

    private static String quoted(final String s)
    {
        return s == null ? "(none)" : "'" + s + "'";
    }

    private static TokenRejectedException unauthorized(final String reason, final String message)
    {
        return new TokenRejectedException(401, "invalid_token", reason, message);
    }

    /** Builds a {@link BearerAuth}. Not thread-safe; the result is. */
    public static final class Builder
    {
        private String issuer = DEFAULT_ISSUER;
        private String audience = DEFAULT_AUDIENCE;
        private String roleClaim = DEFAULT_ROLE_CLAIM;
        private Duration clockSkew = Duration.ofSeconds(DEFAULT_CLOCK_SKEW_S);
        private Clock clock = Clock.systemUTC();
        private byte[] hs256Secret;
        private final List<VerificationKey> publicKeys = new ArrayList<>();

        private Builder()
        {
        }

        /** Sets the issuer tokens must carry. */
        public Builder issuer(final String v)
        {
            issuer = requireText("issuer", v);
            return this;
        }

        /** Sets the audience tokens must include. */
        public Builder audience(final String v)
        {
            audience = requireText("audience", v);
            return this;
        }

        /** Sets the claim holding roles. */
        public Builder roleClaim(final String v)
        {
            roleClaim = requireText("role_claim", v);
            return this;
        }

        /** Sets the tolerance applied to exp and nbf (≥ 0). */
        public Builder clockSkew(final Duration v)
        {
            if (v == null || v.isNegative())
            {
                throw new ConfigurationException("clock_skew", "must be >= 0, not " + v);
            }
            clockSkew = v;
            return this;
        }

        /** Sets the clock (tests). */
        public Builder clock(final Clock v)
        {
            clock = java.util.Objects.requireNonNull(v, "clock");
            return this;
        }

        /** Accepts HS256 tokens signed with this secret (at least {@value #MIN_HS256_SECRET_BYTES} bytes). */
        public Builder hs256Secret(final byte[] secret)
        {
            if (secret == null || secret.length < MIN_HS256_SECRET_BYTES)
            {
                throw new ConfigurationException(ENV_HS256_SECRET, "the HS256 secret must be at least "
                    + MIN_HS256_SECRET_BYTES + " bytes, not " + (secret == null ? 0 : secret.length));
            }
            hs256Secret = secret.clone();
            return this;
        }

        /** Accepts RS256 (RSA key) or EdDSA (Ed25519 key) tokens verified with this key, for any kid (null) or one. */
        public Builder publicKey(final String keyId, final PublicKey key)
        {
            final String algorithm = key.getAlgorithm();
            if (!(key instanceof RSAPublicKey) && !"Ed25519".equals(algorithm) && !"EdDSA".equals(algorithm))
            {
                throw new ConfigurationException("public_key", "only RSA and Ed25519 public keys are accepted, not " + algorithm);
            }
            publicKeys.add(new VerificationKey(keyId, key));
            return this;
        }

        /** Adds the public key in a PEM file ({@code -----BEGIN PUBLIC KEY-----}: RSA or Ed25519). */
        public Builder publicKeyPem(final String configKey, final Path file)
        {
            try
            {
                final String pem = Files.readString(file);
                final String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
                final byte[] der = Base64.getDecoder().decode(base64);
                return publicKey(null, decodePublicKey(der));
            }
            catch (final IOException | GeneralSecurityException | IllegalArgumentException e)
            {
                throw new ConfigurationException(configKey, "cannot read a public key from '" + file + "': "
                    + dev.eab.api.exception.ThrowableText.message(e), e);
            }
        }

        /** Adds every public key of a JWKS file (RSA, and OKP with curve Ed25519; each under its kid). */
        public Builder jwksFile(final Path file)
        {
            try
            {
                return jwks(JWKSet.load(file.toFile()));
            }
            catch (final IOException | ParseException e)
            {
                throw new ConfigurationException(ENV_JWKS_FILE, "cannot read a JWKS from '" + file + "': "
                    + dev.eab.api.exception.ThrowableText.message(e), e);
            }
        }

        /** Adds every public key of a JWK set (RSA, and OKP with curve Ed25519; each under its kid). */
        public Builder jwks(final JWKSet set)
        {
            for (final JWK jwk : set.getKeys())
            {
                try
                {
                    if (jwk instanceof RSAKey rsa)
                    {
                        publicKey(jwk.getKeyID(), rsa.toRSAPublicKey());
                    }
                    else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve()))
                    {
                        publicKey(jwk.getKeyID(), Ed25519JdkVerifier.publicKey(okp.getX().decode()));
                    }
                    else
                    {
                        LOG.warning("JWKS key '" + jwk.getKeyID() + "' (" + jwk.getKeyType() + ") ignored: only RSA and Ed25519 keys are used");
                    }
                }
                catch (final JOSEException e)
                {
                    throw new ConfigurationException(ENV_JWKS_FILE, "JWKS key '" + jwk.getKeyID() + "' is unusable: "
                        + dev.eab.api.exception.ThrowableText.message(e), e);
                }
            }
            return this;
        }

        /** @return the verifier. */
        public BearerAuth build()
        {
            return new BearerAuth(this);
        }

        private static PublicKey decodePublicKey(final byte[] der) throws GeneralSecurityException
        {
            final X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
            try
            {
                return KeyFactory.getInstance("RSA").generatePublic(spec);
            }
            catch (final GeneralSecurityException notRsa)
            {
                return KeyFactory.getInstance("Ed25519").generatePublic(spec);
            }
        }

        private static String requireText(final String key, final String v)
        {
            if (v == null || v.isBlank())
            {
                throw new ConfigurationException(key, "must not be empty");
            }
            return v;
        }
    }
}
