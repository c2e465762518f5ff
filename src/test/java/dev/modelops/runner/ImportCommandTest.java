package dev.modelops.runner;

import com.sun.net.httpserver.HttpServer;
import dev.modelops.runner.store.Digests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportCommandTest {

    @TempDir
    Path dir;

    @Test
    void importsAFileVerifiesItsDigestStoresItAndReadsItsSignature() throws Exception {
        String sha = Digests.sha256(RunnerHarness.MODEL);
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.MODEL_FORMAT, "ONNX")
                .with(RunnerEnv.ARTIFACT_SHA256, sha.toUpperCase())
                .run("import");

        assertEquals(0, outcome.exitCode(), outcome.message());
        assertEquals(sha, outcome.result().get("artifactDigest").asText());
        Path stored = Path.of(URI.create(outcome.result().get("artifactUri").asText()));
        assertEquals(dir.resolve("store/fraud/fraud-v1/model.onnx"), stored);
        assertArrayEquals(Files.readAllBytes(RunnerHarness.MODEL), Files.readAllBytes(stored));
        assertEquals("FLOAT[-1,10]", outcome.result().at("/statistics/signature/inputs/input").asText());
        assertEquals("FLOAT[-1,2]", outcome.result().at("/statistics/signature/outputs/output").asText());
    }

    @Test
    void importsOverHttp() throws Exception {
        byte[] model = Files.readAllBytes(RunnerHarness.MODEL);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fraud/model.onnx", exchange -> {
            exchange.sendResponseHeaders(200, model.length);
            exchange.getResponseBody().write(model);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                    .with(RunnerEnv.ARTIFACT_URI, base + "/fraud/model.onnx")
                    .with(RunnerEnv.ARTIFACT_SHA256, Digests.sha256(RunnerHarness.MODEL)).run("import");
            assertEquals(0, outcome.exitCode(), outcome.message());

            RunnerHarness.Outcome missing = new RunnerHarness(dir)
                    .with(RunnerEnv.ARTIFACT_URI, base + "/fraud/other.onnx").run("import");
            assertEquals(Runner.FAILED, missing.exitCode());
            assertEquals("cannot read " + base + "/fraud/other.onnx: the server answered 404", missing.failure());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDigestMismatchFailsAndStoresNothing() {
        String wrong = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.ARTIFACT_SHA256, wrong).run("import");

        assertEquals(Runner.FAILED, outcome.exitCode());
        assertTrue(outcome.failure().startsWith("digest mismatch: ") && outcome.failure().endsWith("expected " + wrong),
                outcome.failure());
        assertFalse(Files.exists(dir.resolve("store/fraud/fraud-v1/model.onnx")));
    }

    @Test
    void aFileThatIsNotAModelFailsWithOneLine() throws Exception {
        Path junk = dir.resolve("model.onnx");
        Files.writeString(junk, "not a model");
        RunnerHarness.Outcome outcome = new RunnerHarness(dir).with(RunnerEnv.ARTIFACT_URI, junk.toUri().toString())
                .run("import");

        assertEquals(Runner.FAILED, outcome.exitCode());
        assertTrue(outcome.failure().startsWith("cannot load the ONNX model " + junk.toUri()), outcome.failure());
        assertFalse(outcome.message().contains("\\n"), outcome.message());
    }
}
