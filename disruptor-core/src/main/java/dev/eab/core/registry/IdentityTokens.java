package dev.eab.core.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eab.api.MaciRole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small token issuer for the demo, drills and tests: fresh keys (an HS256 secret, an RSA-2048 key, an
 * Ed25519 key from the JDK), each with a kid, their JWKS for the bus, and real signed tokens with the claims a
 * registration must match. In production, tokens come from your identity provider and the bus only holds
 * its JWKS ({@code EAB_IDENTITY_JWKS}).
 *
 * <p>Threading: immutable keys; signing creates its signer per call, so any thread.
 */
public final class IdentityTokens
{
    public static final String ISSUER = "https://issuer.eab.test";
    public static final String AUDIENCE = "eab-bus";
    public static final List<String> ALGORITHMS = List.of("HS256", "RS256", "EdDSA");

    private final OctetSequenceKey hmac;
    private final RSAKey rsa;
    private final OctetKeyPair ed;
    private final PrivateKey edPrivate;

    /** Fresh keys; {@code prefix} distinguishes the kids of two sets. */
    public IdentityTokens(final String prefix)
    {
        try
        {
            hmac = new OctetSequenceKeyGenerator(256).keyID(prefix + "-hs").generate();
            rsa = new RSAKeyGenerator(2048).keyID(prefix + "-rs").generate();
            final KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            final byte[] x509 = kp.getPublic().getEncoded();
            final byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            ed = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).keyID(prefix + "-ed").build();
            edPrivate = kp.getPrivate();
        }
        catch (final Exception e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** @return the verification keys (the HMAC secret and the public keys). */
    public JWKSet verificationKeys()
    {
        return new JWKSet(List.<JWK>of(hmac, rsa.toPublicJWK(), ed));
    }

    /** Writes the verification keys as a JWKS file. */
    public Path writeJwks(final Path file) throws java.io.IOException
    {
        Files.writeString(file, verificationKeys().toString(false));
        return file;
    }

    /** @return claims that match a registration, valid from a minute ago for an hour. */
    public static JWTClaimsSet.Builder claims(
        final String agentId, final String type, final Set<String> caps, final String tenant, final MaciRole role)
    {
        final long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().subject(agentId).issuer(ISSUER).audience(AUDIENCE).jwtID(agentId + "-" + now)
            .issueTime(new Date(now - 60_000)).notBeforeTime(new Date(now - 60_000)).expirationTime(new Date(now + 3_600_000))
            .claim(IdentityVerifier.CLAIM_TENANT, tenant).claim(IdentityVerifier.CLAIM_AGENT_TYPE, type)
            .claim(IdentityVerifier.CLAIM_CAPABILITIES, List.copyOf(caps)).claim(IdentityVerifier.CLAIM_MACI_ROLE, role == null ? null : role.name());
    }

    /** @return a compact token signed with this set's key for {@code algorithm}. */
    public String sign(final String algorithm, final JWTClaimsSet claims)
    {
        return sign(algorithm, claims, h -> { });
    }

    /** @return a compact token; {@code header} may change the header (e.g. its kid) before signing. */
    public String sign(final String algorithm, final JWTClaimsSet claims, final Consumer<JWSHeader.Builder> header)
    {
        try
        {
            final JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
            final JWSHeader.Builder h = new JWSHeader.Builder(alg).keyID(switch (algorithm)
            {
                case "HS256" -> hmac.getKeyID();
                case "RS256" -> rsa.getKeyID();
                default -> ed.getKeyID();
            });
            header.accept(h);
            final SignedJWT jwt = new SignedJWT(h.build(), claims);
            jwt.sign(switch (algorithm)
            {
                case "HS256" -> new MACSigner(hmac);
                case "RS256" -> new RSASSASigner(rsa);
                default -> new JdkEd25519Signer(edPrivate);
            });
            return jwt.serialize();
        }
        catch (final JOSEException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 JWS signer on the JDK (nimbus's own needs Tink). */
    public static final class JdkEd25519Signer implements JWSSigner
    {
        private final PrivateKey key;
        private final JCAContext jca = new JCAContext();

        public JdkEd25519Signer(final PrivateKey key)
        {
            this.key = key;
        }

        @Override
        public Base64URL sign(final JWSHeader header, final byte[] signingInput) throws JOSEException
        {
            try
            {
                final Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(signingInput);
                return Base64URL.encode(s.sign());
            }
            catch (final Exception e)
            {
                throw new JOSEException(e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms()
        {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext()
        {
            return jca;
        }
    }
}
