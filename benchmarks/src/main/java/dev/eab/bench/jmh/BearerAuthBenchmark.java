package dev.eab.bench.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.TokenMinter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one authenticated ops request pays for its bearer token ({@link BearerAuth#verify}): parse, signature and
 * claims, per algorithm: HS256 (shared secret), RS256 (2048-bit RSA public key), EdDSA (Ed25519 through the JDK).
 * Off the hot path (an HTTP request thread), so this is a sizing figure, not a target.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BearerAuthBenchmark
{
    private static final byte[] SECRET = "benchmark-secret-for-bearer-tokens-0123456789".getBytes(StandardCharsets.UTF_8);

    private BearerAuth auth;
    private String hs256;
    private String rs256;
    private String eddsa;

    @Setup
    public void setUp() throws GeneralSecurityException, JOSEException
    {
        final KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        final KeyPair rsa = rsaGenerator.generateKeyPair();
        final KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        auth = BearerAuth.builder().hs256Secret(SECRET).publicKey("rsa", rsa.getPublic()).publicKey("ed", ed.getPublic()).build();
        final Instant now = Instant.now();
        hs256 = "Bearer " + TokenMinter.mintHs256(SECRET, BearerAuth.DEFAULT_ISSUER, BearerAuth.DEFAULT_AUDIENCE, "alice",
            List.of(BearerAuth.REVIEWER_ROLE), BearerAuth.DEFAULT_ROLE_CLAIM, now, Duration.ofHours(8));
        final JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(BearerAuth.DEFAULT_ISSUER).audience(BearerAuth.DEFAULT_AUDIENCE)
            .subject("alice").claim(BearerAuth.DEFAULT_ROLE_CLAIM, List.of(BearerAuth.REVIEWER_ROLE))
            .expirationTime(Date.from(now.plus(Duration.ofHours(8)))).build();
        final SignedJWT rsaJwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").build(), claims);
        rsaJwt.sign(new RSASSASigner(rsa.getPrivate()));
        rs256 = "Bearer " + rsaJwt.serialize();
        final Base64URL header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("ed").build().toBase64URL();
        final Base64URL payload = Base64URL.encode(claims.toString());
        final Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(ed.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        eddsa = "Bearer " + header + "." + payload + "." + Base64URL.encode(signer.sign());
        for (final String token : List.of(hs256, rs256, eddsa))
        {
            auth.verify(token, BearerAuth.REVIEWER_ROLE); // throws if the setup is wrong
        }
    }

    @Benchmark
    public BearerAuth.Caller verifyHs256()
    {
        return auth.verify(hs256, BearerAuth.REVIEWER_ROLE);
    }

    @Benchmark
    public BearerAuth.Caller verifyRs256()
    {
        return auth.verify(rs256, BearerAuth.REVIEWER_ROLE);
    }

    @Benchmark
    public BearerAuth.Caller verifyEdDsa()
    {
        return auth.verify(eddsa, BearerAuth.REVIEWER_ROLE);
    }
}
