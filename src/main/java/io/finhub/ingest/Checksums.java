package io.finhub.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of what is imported: the default idempotency key and the audit trail's checksum. */
public final class Checksums {
    private static final int BUFFER = 1 << 16;

    private Checksums() {}

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return copy(in, OutputStream.nullOutputStream());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies {@code in} to {@code out} and returns the SHA-256 (hex) of the bytes copied. */
    public static String copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            byte[] buffer = new byte[BUFFER];
            for (int read = digesting.read(buffer); read >= 0; read = digesting.read(buffer)) {
                out.write(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
