package io.finhub.cli;

import java.security.SecureRandom;
import java.util.Base64;

/** The development token {@code serve} prints: random per start, so an old one never works again. */
final class DevTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevTokens() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "fhdev_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
