package io.finhub.security;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * How callers authenticate. Bearer JWTs are checked against an HS256 shared secret, an RS256 JWKS
 * URL or an RS256 PEM public key (any of them, chosen by the token's {@code alg}); API tokens (for BI
 * tools, as bearer or as the Basic-auth password) live in the store. The development token is
 * accepted from loopback clients only.
 *
 * @param hs256Secret shared secret, at least 32 bytes (256 bits)
 * @param issuer required {@code iss} claim, if set
 * @param audience required {@code aud} claim, if set
 * @param devToken the development token, if this server has one
 * @param requestsPerMinute per-token rate limit; 0 turns it off
 */
public record SecuritySettings(Optional<String> hs256Secret, Optional<URI> jwksUrl, Optional<String> rsaPublicKeyPem, Optional<String> issuer,
        Optional<String> audience, Optional<String> devToken, long requestsPerMinute) {
    public SecuritySettings {
        requireNonNull(hs256Secret, "hs256Secret is null");
        requireNonNull(jwksUrl, "jwksUrl is null");
        requireNonNull(rsaPublicKeyPem, "rsaPublicKeyPem is null");
        requireNonNull(issuer, "issuer is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(devToken, "devToken is null");
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requestsPerMinute must not be negative, was " + requestsPerMinute);
        }
    }

    /** Only the development token (and API tokens in the store). */
    public static SecuritySettings devOnly(String devToken, long requestsPerMinute) {
        return new SecuritySettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(devToken),
                requestsPerMinute);
    }

    public boolean jwtConfigured() {
        return hs256Secret.isPresent() || jwksUrl.isPresent() || rsaPublicKeyPem.isPresent();
    }

    public SecuritySettings withHs256Secret(String secret) {
        return new SecuritySettings(Optional.of(secret), jwksUrl, rsaPublicKeyPem, issuer, audience, devToken, requestsPerMinute);
    }

    public SecuritySettings withRsaPublicKeyPem(String pem) {
        return new SecuritySettings(hs256Secret, jwksUrl, Optional.of(pem), issuer, audience, devToken, requestsPerMinute);
    }

    public SecuritySettings withRequestsPerMinute(long limit) {
        return new SecuritySettings(hs256Secret, jwksUrl, rsaPublicKeyPem, issuer, audience, devToken, limit);
    }
}
