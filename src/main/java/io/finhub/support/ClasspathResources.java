package io.finhub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the contract files (DDL, SDL, seed SQL) shipped on the classpath, from a directory or from the jar. */
public final class ClasspathResources {
    private ClasspathResources() {}

    public static String read(String name) {
        try (InputStream in = ClasspathResources.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File name to content of every file directly in {@code directory} whose name ends with {@code suffix}, sorted by name. */
    public static Map<String, String> readAll(String directory, String suffix) {
        URL url = ClasspathResources.class.getClassLoader().getResource(directory);
        if (url == null) {
            throw new IllegalStateException("missing classpath directory " + directory);
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return readAll(jar.provider().getPath(uri), suffix);
                }
            }
            return readAll(Path.of(uri), suffix);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readAll(Path directory, String suffix) throws IOException {
        Map<String, String> contents = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                contents.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return contents;
    }
}
