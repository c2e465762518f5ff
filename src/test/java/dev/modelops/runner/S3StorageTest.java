package dev.modelops.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code s3://} through the AWS SDK against a minimal S3-compatible endpoint (path-style GET and PUT of objects), as
 * {@code MODELOPS_S3_ENDPOINT} names one.
 */
class S3StorageTest {

    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private HttpServer server;
    private String endpoint;

    @TempDir
    Path dir;

    @BeforeEach
    void startStore() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test-secret");
    }

    @AfterEach
    void stopStore() {
        server.stop(0);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void trainsFromAndStoresToS3ThenScoresIntoS3() throws Exception {
        objects.put("/datasets/fraud/train.csv", Files.readAllBytes(RunnerHarness.TRAIN));
        objects.put("/datasets/fraud/holdout.csv", Files.readAllBytes(RunnerHarness.HOLDOUT));
        RunnerHarness runner = new RunnerHarness(dir).with(RunnerEnv.S3_ENDPOINT, endpoint)
                .with(RunnerEnv.ARTIFACT_STORE, "s3://models/team-a");

        RunnerHarness.Outcome trained = runner.with(RunnerEnv.DATASET_URI, "s3://datasets/fraud/train.csv")
                .with(RunnerEnv.LABEL_COLUMN, "is_fraud").run("train");
        assertEquals(0, trained.exitCode(), trained.message());
        assertEquals("s3://models/team-a/fraud/fraud-v1/model.onnx", trained.result().get("artifactUri").asText());
        assertTrue(objects.containsKey("/models/team-a/fraud/fraud-v1/model.onnx"), objects.keySet().toString());

        RunnerHarness.Outcome scored = runner.with(RunnerEnv.DATASET_URI, "s3://datasets/fraud/holdout.csv")
                .with(RunnerEnv.ARTIFACT_URI, "s3://models/team-a/fraud/fraud-v1/model.onnx")
                .with(RunnerEnv.OUTPUT_URI, "s3://predictions/fraud/holdout.csv").run("score");
        assertEquals(0, scored.exitCode(), scored.message());
        String predictions = new String(objects.get("/predictions/fraud/holdout.csv"), StandardCharsets.UTF_8);
        assertEquals(2001, predictions.lines().count());

        RunnerHarness.Outcome missing = runner.with(RunnerEnv.DATASET_URI, "s3://datasets/fraud/none.csv")
                .run("compute-statistics");
        assertEquals(Runner.FAILED, missing.exitCode());
        assertTrue(missing.failure().startsWith("cannot read s3://datasets/fraud/none.csv: "), missing.failure());
    }

    /** The payload of an aws-chunked body: {@code <hex size>;chunk-signature=...\r\n<data>\r\n}, to a 0 chunk. */
    private static byte[] unchunk(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = at;
            while (body[lineEnd] != '\r') {
                lineEnd++;
            }
            String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";")[0], 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getPath();
        switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String sha = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
                objects.put(key, sha != null && sha.startsWith("STREAMING-") ? unchunk(body) : body);
                exchange.getResponseHeaders().add("ETag", "\"etag\"");
                exchange.sendResponseHeaders(200, -1);
            }
            case "GET" -> {
                byte[] body = objects.get(key);
                if (body == null) {
                    byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                            + "<Message>The specified key does not exist.</Message></Error>")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/xml");
                    exchange.sendResponseHeaders(404, error.length);
                    exchange.getResponseBody().write(error);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
            default -> exchange.sendResponseHeaders(405, -1);
        }
        exchange.close();
    }
}
