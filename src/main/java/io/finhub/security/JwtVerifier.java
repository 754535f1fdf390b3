package io.finhub.security;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.net.MalformedURLException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer JWTs with Nimbus JOSE+JWT: the signature (HS256 with the shared secret, RS256 with
 * the JWKS URL's keys or the PEM public key), expiry and not-before (with Nimbus's clock skew),
 * and the configured issuer and audience. The token's own {@code alg} picks the verifier, and only
 * the algorithms configured are accepted, so a token cannot choose {@code none} or HS256-with-the-public-key.
 */
final class JwtVerifier {
    private enum Algorithm { HS256, RS256 }

    private final Map<Algorithm, ConfigurableJWTProcessor<SecurityContext>> processors = new EnumMap<>(Algorithm.class);

    JwtVerifier(SecuritySettings settings) {
        requireNonNull(settings, "settings is null");
        settings.hs256Secret().ifPresent(secret -> {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalArgumentException("the HS256 secret must be at least 32 bytes (256 bits), was " + bytes.length);
            }
            processors.put(Algorithm.HS256, processor(JWSAlgorithm.HS256, new ImmutableSecret<>(bytes), settings));
        });
        rsaSource(settings).ifPresent(source -> processors.put(Algorithm.RS256, processor(JWSAlgorithm.RS256, source, settings)));
    }

    private static Optional<JWKSource<SecurityContext>> rsaSource(SecuritySettings settings) {
        if (settings.jwksUrl().isPresent()) {
            try {
                return Optional.of(JWKSourceBuilder.create(settings.jwksUrl().get().toURL()).build());
            }
            catch (MalformedURLException e) {
                throw new IllegalArgumentException("the JWKS URL is not a URL: " + settings.jwksUrl().get(), e);
            }
        }
        return settings.rsaPublicKeyPem().map(pem -> new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder(rsaPublicKey(pem)).build())));
    }

    /** An X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}), as {@code openssl rsa -pubout} writes it. */
    static RSAPublicKey rsaPublicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        }
        catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the RS256 public key is not a PEM-encoded RSA public key (-----BEGIN PUBLIC KEY-----): " + e.getMessage(), e);
        }
    }

    private static ConfigurableJWTProcessor<SecurityContext> processor(JWSAlgorithm algorithm, JWKSource<SecurityContext> source, SecuritySettings settings) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, source));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience().orElse(null), exact.build(), Set.of("sub", "exp")));
        return processor;
    }

    boolean configured() {
        return !processors.isEmpty();
    }

    /** The verified claims; an invalid, expired or unverifiable token is UNAUTHENTICATED with the reason. */
    JWTClaimsSet verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        }
        catch (ParseException e) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the bearer token is neither an API token nor a signed JWT");
        }
        String name = jwt.getHeader().getAlgorithm().getName();
        ConfigurableJWTProcessor<SecurityContext> processor = processors.get(algorithm(name));
        if (processor == null) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "tokens signed with %s are not accepted here (configured: %s)".formatted(name, processors.keySet()));
        }
        try {
            return processor.process(jwt, null);
        }
        catch (BadJOSEException | JOSEException e) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the bearer token was rejected: " + e.getMessage());
        }
    }

    private static Algorithm algorithm(String name) {
        for (Algorithm algorithm : Algorithm.values()) {
            if (algorithm.name().equals(name)) {
                return algorithm;
            }
        }
        return null;
    }
}
