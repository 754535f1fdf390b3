package io.finhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A fingerprint of the code that is running: of every entry of the jar (its name, size and CRC,
 * read from the jar's directory, so nothing is decompressed), or of every file of the classes
 * directory a test or an IDE runs from. The version in the POM stays {@code 0.1.0-SNAPSHOT} across
 * builds, so it cannot tell an upgraded server from the one that stored an answer; this does.
 *
 * <p>Computed on first use. Where the running code cannot be located or read (no code source, a
 * class loader of another kind), the fingerprint is random for the run, with a warning: answers a
 * disk tier stored are then never taken for this build's, which is always safe.
 */
public final class BuildFingerprint {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BuildFingerprint.class);

    private BuildFingerprint() {}

    /** Sixteen hex digits, the same for the whole run. */
    public static String value() {
        return Holder.VALUE;
    }

    private static final class Holder {
        static final String VALUE = computeOrRandom();
    }

    private static String computeOrRandom() {
        try {
            return compute(BuildFingerprint.class.getProtectionDomain().getCodeSource());
        }
        catch (RuntimeException e) {
            LOG.warn("cannot fingerprint the running build ({}); the result cache's disk tier will not reuse answers stored by earlier runs", e.getMessage());
            byte[] random = new byte[8];
            new java.security.SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        }
    }

    static String compute(CodeSource source) {
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("the running code has no location");
        }
        MessageDigest digest = sha256();
        try {
            Path location = Path.of(source.getLocation().toURI());
            if (Files.isDirectory(location)) {
                digestDirectory(digest, location);
            }
            else {
                digestJar(digest, location);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the running build at " + source.getLocation(), e);
        }
        catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the running build at " + source.getLocation(), e);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static void digestJar(MessageDigest digest, Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> entries = file.stream().sorted(Comparator.comparing(JarEntry::getName)).toList();
            for (JarEntry entry : entries) {
                digest.update((entry.getName() + ":" + entry.getSize() + ":" + entry.getCrc() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void digestDirectory(MessageDigest digest, Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            digest.update((directory.relativize(file).toString().replace('\\', '/') + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(file));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
