package dev.modelops.runner.store;

import dev.modelops.runner.Log;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.RunnerEnv;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Files by URI: {@code file://} (or a plain path), {@code http(s)://} (read only) and {@code s3://}. A remote file is
 * read by copying it to the job's scratch folder, and written from a local file.
 */
public final class Storage implements AutoCloseable {

    private final RunnerEnv env;
    private final Log log;
    private S3 s3;
    private HttpClient http;

    public Storage(RunnerEnv env, Log log) {
        this.env = env;
        this.log = log;
    }

    /** The file at {@code uri} as a local file: itself when local, else a copy in {@code dir}. */
    public Path fetch(String uri, Path dir) {
        URI parsed = parse(uri);
        String scheme = parsed.getScheme() == null ? "file" : parsed.getScheme();
        try {
            switch (scheme) {
                case "file" -> {
                    Path path = local(parsed, uri);
                    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                        throw new RunFailure("cannot read " + uri + ": no such readable file");
                    }
                    return path;
                }
                case "http", "https" -> {
                    Path target = Files.createTempFile(dir, "fetched-", suffix(parsed.getPath()));
                    download(parsed, target);
                    return target;
                }
                case "s3" -> {
                    Path target = Files.createTempFile(dir, "fetched-", suffix(parsed.getPath()));
                    s3().download(parsed, target);
                    log.info("fetched " + uri + " (" + Files.size(target) + " bytes)");
                    return target;
                }
                default -> throw new RunFailure("cannot read " + uri + ": scheme " + scheme
                        + " is not supported (file, http, https, s3)");
            }
        } catch (IOException e) {
            throw new RunFailure("cannot read " + uri + ": " + e, e);
        }
    }

    /** Stores the local file at {@code uri}, replacing what is there. */
    public void store(Path file, String uri) {
        URI parsed = parse(uri);
        String scheme = parsed.getScheme() == null ? "file" : parsed.getScheme();
        try {
            switch (scheme) {
                case "file" -> {
                    Path target = local(parsed, uri);
                    if (target.getParent() != null) {
                        Files.createDirectories(target.getParent());
                    }
                    if (!target.equals(file)) {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                case "s3" -> s3().upload(file, parsed);
                default -> throw new RunFailure("cannot write " + uri + ": scheme " + scheme
                        + " is not writable (file, s3)");
            }
        } catch (IOException e) {
            throw new RunFailure("cannot write " + uri + ": " + e, e);
        }
        log.info("stored " + uri);
    }

    /**
     * Where a file of this version goes in the artifact store ({@code MODELOPS_ARTIFACT_STORE}, a {@code file://}
     * folder or {@code s3://bucket/prefix}): {@code <store>/<model>/<version>/<name>}.
     */
    public String inArtifactStore(String name) {
        String store = env.require(RunnerEnv.ARTIFACT_STORE);
        String model = env.get(RunnerEnv.MODEL).orElse("model");
        String version = env.get(RunnerEnv.MODEL_VERSION).orElse("version");
        return join(store, model + "/" + version + "/" + name);
    }

    public static String join(String folder, String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }

    private void download(URI uri, Path target) throws IOException {
        if (http == null) {
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30)).build();
        }
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new RunFailure("cannot read " + uri + ": the server answered " + response.statusCode());
                }
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            }
            log.info("fetched " + uri + " (" + Files.size(target) + " bytes)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure("interrupted while reading " + uri, e);
        }
    }

    private S3 s3() {
        if (s3 == null) {
            s3 = new S3(env.get(RunnerEnv.S3_ENDPOINT));
        }
        return s3;
    }

    private static Path local(URI parsed, String uri) throws NoSuchFileException {
        return parsed.getScheme() == null ? Path.of(uri) : Path.of(parsed);
    }

    private static URI parse(String uri) {
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            throw new RunFailure("not a URI: " + uri + " (" + e.getReason() + ")");
        }
    }

    /** The extension of a path, kept so that readers can tell CSV from Parquet. */
    static String suffix(String path) {
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
