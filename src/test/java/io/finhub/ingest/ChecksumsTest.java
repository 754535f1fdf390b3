package io.finhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SHA-256 against the published test vectors of FIPS 180-2 (appendix B), whatever way the bytes are read. */
class ChecksumsTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

    @TempDir
    Path directory;

    @Test
    void a_file_hashes_to_the_published_digest_in_one_map_or_in_many() throws Exception {
        Path abc = Files.writeString(directory.resolve("abc"), "abc");
        Path empty = Files.write(directory.resolve("empty"), new byte[0]);
        Path million = Files.writeString(directory.resolve("million"), "a".repeat(1_000_000));

        assertThat(Checksums.sha256(abc)).isEqualTo(ABC);
        assertThat(Checksums.sha256(empty)).isEqualTo(EMPTY);
        assertThat(Checksums.sha256(million)).isEqualTo(MILLION_A);
        // Maps of 4,096 and of 999,999 bytes: many chunks, and a last chunk of one byte.
        assertThat(Checksums.sha256(million, 4096)).isEqualTo(MILLION_A);
        assertThat(Checksums.sha256(million, 999_999)).isEqualTo(MILLION_A);
    }

    @Test
    void a_copied_stream_hashes_to_the_published_digest_and_arrives_whole() throws Exception {
        byte[] bytes = "a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(Checksums.copy(new ByteArrayInputStream(bytes), out)).isEqualTo(MILLION_A);
        assertThat(out.toByteArray()).isEqualTo(bytes);
    }
}
