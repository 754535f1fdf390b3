package io.finhub.ingest;

import io.finhub.TestStores;
import io.finhub.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Small named inputs for the ingest tests, over the hand-checkable {@code tiny_company} fixture. */
final class IngestFixtures {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-04-01T09:30:00Z"), ZoneOffset.UTC);
    static final String ACTOR = "test:ingest";

    private IngestFixtures() {}

    /** tiny_company: currencies USD, EUR; channels search, email; departments mkt, eng; product core; campaigns s-q1, e-q2;
     * accounts 4000 (REVENUE), 6100, 6200; entity US; customers c1, c2; three GL lines g1..g3 of entity US. */
    static Store tinyCompany() {
        return TestStores.withFixture("tiny_company");
    }

    static Path write(Path directory, String name, String content) {
        try {
            return Files.writeString(directory.resolve(name), content);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} gzipped, as gzip writes it. */
    static byte[] gzip(String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static long count(Store store, String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    static List<Map<String, Object>> rows(Store store, String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapToMap().list());
    }

    static IngestResult importFile(IngestService service, String dataset, Path file) {
        return service.importFile(IngestRequest.of(dataset, file, ACTOR), IngestProgress.NONE);
    }
}
