package io.finhub.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint of the running build: the same for the same files, another when a file changes, and none without a location. */
class BuildFingerprintTest {
    @Test
    void the_fingerprint_follows_the_files_of_the_build(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("A.class"), "one");
        Files.createDirectories(directory.resolve("io"));
        Files.writeString(directory.resolve("io/B.class"), "two");
        String first = BuildFingerprint.compute(source(directory));

        assertThat(BuildFingerprint.compute(source(directory))).isEqualTo(first).hasSize(16);
        Files.writeString(directory.resolve("io/B.class"), "three");
        assertThat(BuildFingerprint.compute(source(directory))).isNotEqualTo(first);
    }

    @Test
    void without_a_location_it_cannot_be_computed_and_the_run_gets_a_fingerprint_of_its_own() {
        assertThatThrownBy(() -> BuildFingerprint.compute(null)).hasMessageContaining("no location");
        assertThatThrownBy(() -> BuildFingerprint.compute(new CodeSource(null, (Certificate[]) null))).hasMessageContaining("no location");
        // The running tests' own classes directory can be fingerprinted, and the value stays for the run.
        assertThat(BuildFingerprint.value()).hasSize(16).isEqualTo(BuildFingerprint.value());
    }

    private static CodeSource source(Path directory) throws Exception {
        return new CodeSource(directory.toUri().toURL(), (Certificate[]) null);
    }
}
