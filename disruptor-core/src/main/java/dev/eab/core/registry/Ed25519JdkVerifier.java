package dev.eab.core.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * EdDSA (Ed25519) JWS verification with the JDK's own Ed25519 ({@code Signature "Ed25519"}, JDK 15+). Nimbus's
 * {@code Ed25519Verifier} needs Google Tink, which this build does not carry; the JDK implementation is the
 * same algorithm (RFC 8032) with no extra dependency.
 */
public final class Ed25519JdkVerifier implements JWSVerifier
{
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112); the 32-byte key follows. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** "EdDSA" (RFC 8037) and its fully specified name "Ed25519" (RFC 9864): the same signature. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final PublicKey key;
    private final JCAContext jca = new JCAContext();

    /** @throws JOSEException when the key is not an Ed25519 public key. */
    public Ed25519JdkVerifier(final OctetKeyPair jwk) throws JOSEException
    {
        if (!Curve.Ed25519.equals(jwk.getCurve()))
        {
            throw new JOSEException("not an Ed25519 key: curve " + jwk.getCurve());
        }
        this.key = publicKey(jwk.getX().decode());
    }

    /** @param key an Ed25519 public key (as {@link #publicKey(byte[])} or a PEM file gives it). */
    public Ed25519JdkVerifier(final PublicKey key)
    {
        this.key = key;
    }

    /** @return the JDK public key for a raw 32-byte Ed25519 key. */
    public static PublicKey publicKey(final byte[] raw) throws JOSEException
    {
        if (raw.length != 32)
        {
            throw new JOSEException("Ed25519 public key of " + raw.length + " bytes");
        }
        final byte[] der = new byte[X509_PREFIX.length + 32];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
        try
        {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
        catch (final GeneralSecurityException e)
        {
            throw new JOSEException("bad Ed25519 key: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(final JWSHeader header, final byte[] signingInput, final Base64URL signature) throws JOSEException
    {
        if (!supportedJWSAlgorithms().contains(header.getAlgorithm()))
        {
            return false;
        }
        try
        {
            final Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signingInput);
            return s.verify(signature.decode());
        }
        catch (final java.security.SignatureException e)
        {
            return false;
        }
        catch (final GeneralSecurityException e)
        {
            throw new JOSEException("Ed25519 verification failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms()
    {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext()
    {
        return jca;
    }
}
