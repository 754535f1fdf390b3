package io.finhub.http;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The certificate the server speaks HTTPS (and WSS) with: a PKCS12 keystore, or a PEM certificate
 * chain with its PKCS#8 PEM private key. Both are loaded into a {@link KeyStore} when the settings
 * are made, so a wrong password or a broken file stops {@code serve} before it listens.
 */
public final class TlsSettings {
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----(.+?)-----END PRIVATE KEY-----", Pattern.DOTALL);
    private static final String ALIAS = "finhub";

    private final KeyStore keyStore;
    private final String password;
    private final String source;

    private TlsSettings(KeyStore keyStore, String password, String source) {
        this.keyStore = keyStore;
        this.password = password;
        this.source = source;
    }

    /** A PKCS12 keystore holding the server's key and certificate chain. */
    public static TlsSettings pkcs12(Path keystore, String password) {
        requireNonNull(keystore, "keystore is null");
        requireNonNull(password, "password is null");
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            if (!hasKey(store)) {
                throw invalid(keystore, "it holds no private key");
            }
            return new TlsSettings(store, password, keystore.toString());
        }
        catch (IOException e) {
            throw invalid(keystore, "cannot read it as PKCS12 with this password (" + e.getMessage() + ")");
        }
        catch (GeneralSecurityException e) {
            throw invalid(keystore, e.getMessage());
        }
    }

    /** A PEM certificate (chain, server certificate first) and its unencrypted PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}). */
    public static TlsSettings pem(Path certificate, Path privateKey) {
        requireNonNull(certificate, "certificate is null");
        requireNonNull(privateKey, "privateKey is null");
        List<Certificate> chain = readCertificates(certificate);
        PrivateKey key = readPrivateKey(privateKey);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            String password = "";
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(Certificate[]::new));
            return new TlsSettings(store, password, certificate + " + " + privateKey);
        }
        catch (IOException | GeneralSecurityException e) {
            throw invalid(privateKey, "the key does not go with the certificate " + certificate + " (" + e.getMessage() + ")");
        }
    }

    /** A Jetty SSL context factory over this certificate; Jetty owns its life cycle. */
    SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(keyStore);
        factory.setKeyStorePassword(password);
        factory.setKeyManagerPassword(password);
        return factory;
    }

    /** Where the certificate came from, for the start-up message. */
    public String source() {
        return source;
    }

    private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static List<Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (chain.isEmpty()) {
                throw invalid(file, "it holds no PEM certificate");
            }
            return chain;
        }
        catch (IOException | GeneralSecurityException e) {
            throw invalid(file, "it is not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey readPrivateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException e) {
            throw invalid(file, "cannot read it (" + e.getMessage() + ")");
        }
        Matcher matcher = PRIVATE_KEY.matcher(text);
        if (!matcher.find()) {
            throw invalid(file, "it holds no unencrypted PKCS#8 key ('BEGIN PRIVATE KEY'); convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem'");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (GeneralSecurityException e) {
                // not a key of this algorithm: try the next
            }
        }
        throw invalid(file, "its key is neither RSA, EC nor Ed25519");
    }

    private static FinhubException invalid(Path file, String problem) {
        return new FinhubException(ErrorCode.BAD_REQUEST, "cannot use the TLS certificate " + file + ": " + problem);
    }
}
