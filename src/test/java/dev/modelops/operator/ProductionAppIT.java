package dev.modelops.operator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's application as {@code ./mvnw package} leaves it in target/quarkus-app, which is what its image copies
 * (src/main/docker/Dockerfile.jvm): the operator alone. None of the sandbox, which is an application of its own
 * ({@code ./sandbox}), and none of the libraries that only the sandbox or the runner (its own image) use. Runs after
 * {@code package} ({@code ./mvnw verify}).
 */
class ProductionAppIT {

    private static final Path APP = Path.of("target/quarkus-app");

    /** What must not be in the application, by the package folder of its classes. */
    private static final Map<String, String> FORBIDDEN = Map.ofEntries(
            Map.entry("dev/modelops/sandbox/", "the sandbox"),
            Map.entry("io/fabric8/mockwebserver/", "fabric8's mock web server (the sandbox's API server)"),
            Map.entry("io/fabric8/kubernetes/client/server/mock/", "fabric8's Kubernetes mock server"),
            Map.entry("org/bouncycastle/", "Bouncy Castle (the mock web server's TLS)"),
            Map.entry("io/kubernetes/client/proto/", "Kubernetes' protobuf classes (the sandbox reads kubectl's)"),
            Map.entry("ai/onnxruntime/", "ONNX Runtime (the runner's)"),
            Map.entry("org/tribuo/", "Tribuo (the runner's)"),
            Map.entry("org/duckdb/", "DuckDB (the runner's)"),
            Map.entry("software/amazon/awssdk/", "the AWS SDK (the runner's)"));

    private static Map<String, List<String>> filesByJar;

    @BeforeAll
    static void readTheApplication() throws IOException {
        assertTrue(Files.isRegularFile(APP.resolve("quarkus-run.jar")),
                APP + " has no quarkus-run.jar: run ./mvnw -B package first");
        filesByJar = new TreeMap<>();
        try (Stream<Path> files = Files.walk(APP)) {
            for (Path jar : files.filter(file -> file.toString().endsWith(".jar")).toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    filesByJar.put(APP.relativize(jar).toString(), zip.stream().filter(entry -> !entry.isDirectory())
                            .map(ZipEntry::getName).toList());
                }
            }
        }
    }

    @Test
    void holdsTheOperator() {
        assertTrue(filesByJar.keySet().stream()
                        .anyMatch(jar -> jar.startsWith("lib/main/io.fabric8.kubernetes-client-")),
                "no fabric8 client in " + filesByJar.keySet());
        assertTrue(filesByJar.values().stream().flatMap(List::stream)
                .anyMatch(file -> file.equals("dev/modelops/modeljob/ModelJobReconciler.class")));
    }

    @Test
    void holdsNoSandboxAndNoLibraryOnlyTheSandboxOrTheRunnerUses() {
        TreeSet<String> found = new TreeSet<>();
        filesByJar.forEach((jar, files) -> files.forEach(file -> FORBIDDEN.forEach((folder, what) -> {
            if (file.startsWith(folder)) {
                found.add(what + " in " + jar);
            }
        })));
        assertEquals(new TreeSet<>(), found);
    }
}
