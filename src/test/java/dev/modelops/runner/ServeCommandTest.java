package dev.modelops.runner;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** serve on a free port with the example model, asked over HTTP as a v2 client would. */
class ServeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> COLUMNS = List.of("amount", "hour", "merchant_category", "distance_km",
            "account_age_days");

    @TempDir
    static Path dir;

    private static final StopSignal STOP = new StopSignal();
    private static CompletableFuture<RunnerHarness.Outcome> server;
    private static String base;

    @BeforeAll
    static void serve() throws Exception {
        int port = freePort();
        base = "http://127.0.0.1:" + port;
        server = harness(dir.resolve("class"), port).start(STOP);
        awaitReady(base, server);
    }

    @AfterAll
    static void stop() throws Exception {
        STOP.request();
        RunnerHarness.Outcome outcome = server.get(30, TimeUnit.SECONDS);
        assertEquals(0, outcome.exitCode(), outcome.log());
    }

    @Test
    void healthAndServerMetadata() throws Exception {
        assertEquals(200, get("/v2/health/live").statusCode());
        assertEquals(200, get("/v2/health/ready").statusCode());
        assertEquals(200, get("/v2/models/fraud/ready").statusCode());
        JsonNode server = JSON.readTree(get("/v2").body());
        assertEquals("modelops-runner", server.get("name").asText());
        assertTrue(server.hasNonNull("version"));
        assertTrue(server.get("extensions").isArray() && server.get("extensions").isEmpty());
    }

    @Test
    void modelMetadataNamesTheTensorsAndTheRawColumns() throws Exception {
        for (String path : List.of("/v2/models/fraud", "/v2/models/fraud/versions/fraud-v1")) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode metadata = JSON.readTree(response.body());
            assertEquals("fraud", metadata.get("name").asText());
            assertEquals("[\"fraud-v1\"]", metadata.get("versions").toString());
            assertEquals("onnxruntime_onnx", metadata.get("platform").asText());
            JsonNode input = metadata.get("inputs").get(0);
            assertEquals("FP32", input.get("datatype").asText());
            assertEquals(2, input.get("shape").size());
            assertTrue(metadata.get("outputs").findValuesAsText("name").containsAll(List.of("prediction",
                    "probabilities")), metadata.toString());
            assertEquals(COLUMNS, metadata.path("parameters").path("columns").findValuesAsText("name"));
            assertEquals("BYTES", metadata.path("parameters").path("columns").get(2).get("datatype").asText());
            assertEquals("[\"0\",\"1\"]", metadata.path("parameters").path("classes").toString());
        }
    }

    @Test
    void rawColumnsGiveTheProbabilitiesOfOnnxRuntimeCalledDirectly() throws Exception {
        List<ModelScoring.Row> rows = ModelScoring.rows(RunnerHarness.HOLDOUT).subList(0, 200);
        double[] expected = ModelScoring.fraudProbabilities(RunnerHarness.MODEL, rows);
        ObjectNode request = JSON.createObjectNode().put("id", "req-1");
        ArrayNode inputs = request.putArray("inputs");
        for (int c = 0; c < COLUMNS.size(); c++) {
            String datatype = c == 2 ? "BYTES" : c == 1 || c == 4 ? "INT64" : "FP64";
            ObjectNode input = inputs.addObject().put("name", COLUMNS.get(c)).put("datatype", datatype);
            input.putArray("shape").add(rows.size());
            ArrayNode data = input.putArray("data");
            for (ModelScoring.Row row : rows) {
                String cell = row.cells()[c];
                if (cell.isEmpty()) {
                    data.addNull();
                } else if (datatype.equals("BYTES")) {
                    data.add(cell);
                } else if (datatype.equals("INT64")) {
                    data.add(Long.parseLong(cell));
                } else {
                    data.add(Double.parseDouble(cell));
                }
            }
        }

        HttpResponse<String> response = post("/v2/models/fraud/infer", request.toString());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("fraud", body.get("model_name").asText());
        assertEquals("fraud-v1", body.get("model_version").asText());
        assertEquals("req-1", body.get("id").asText());
        JsonNode probabilities = output(body, "probabilities");
        assertEquals("FP64", probabilities.get("datatype").asText());
        assertEquals("[200,2]", probabilities.get("shape").toString());
        JsonNode prediction = output(body, "prediction");
        assertEquals("BYTES", prediction.get("datatype").asText());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected[i], probabilities.get("data").get(2 * i + 1).asDouble(), 1e-6, "row " + i);
            assertEquals(expected[i] >= 0.5 ? "1" : "0", prediction.get("data").get(i).asText(), "row " + i);
        }
    }

    @Test
    void theModelsOwnTensorInputGivesWhatOnnxRuntimeGives() throws Exception {
        float[][] x = {{0.5f, -1f, 0f, 1f, 0f, 0f, 0f, 0.2f, 2f, -0.3f}, {3f, 0.1f, 1f, 0f, 0f, 0f, 0f, -1f, 0f, 1f}};
        String inputName;
        float[][] expected;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(RunnerHarness.MODEL.toString())) {
            inputName = session.getInputNames().iterator().next();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, x);
                    OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
                expected = (float[][]) result.get(0).getValue();
            }
        }
        ObjectNode request = JSON.createObjectNode();
        ObjectNode input = request.putArray("inputs").addObject().put("name", inputName).put("datatype", "FP32");
        input.putArray("shape").add(2).add(10);
        ArrayNode data = input.putArray("data");
        for (float[] row : x) {
            for (float v : row) {
                data.add(v);
            }
        }
        request.putArray("outputs").addObject().put("name", "output");

        HttpResponse<String> response = post("/v2/models/fraud/versions/fraud-v1/infer", request.toString());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode outputs = JSON.readTree(response.body()).get("outputs");
        assertEquals(1, outputs.size(), "only the output asked for");
        assertEquals("FP32", outputs.get(0).get("datatype").asText());
        assertEquals("[2,2]", outputs.get(0).get("shape").toString());
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(expected[r][c], outputs.get(0).get("data").get(2 * r + c).floatValue(), 1e-6);
            }
        }
    }

    @Test
    void aBadRequestGets400NamingTheProblem() throws Exception {
        assertError(400, "unknown input colour", post("/v2/models/fraud/infer",
                "{\"inputs\":[{\"name\":\"colour\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"red\"]}]}"));
        assertError(400, "missing inputs hour, merchant_category", post("/v2/models/fraud/infer",
                "{\"inputs\":[{\"name\":\"amount\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[3.5]}]}"));
        assertError(400, "input amount is BYTES but the model reads it as a number", post("/v2/models/fraud/infer",
                "{\"inputs\":[{\"name\":\"amount\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}"));
        assertError(400, "has 2 values but its shape [3] holds 3", post("/v2/models/fraud/infer",
                "{\"inputs\":[{\"name\":\"amount\",\"shape\":[3],\"datatype\":\"FP64\",\"data\":[1,2]}]}"));
        assertError(400, "the request is not JSON", post("/v2/models/fraud/infer", "{\"inputs\": ["));
        assertError(400, "but the model takes FP32", post("/v2/models/fraud/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,10],\"datatype\":\"FP64\",\"data\":[0,0,0,0,0,0,0,0,0,0]}]}"));
    }

    @Test
    void anUnknownModelGets404() throws Exception {
        assertError(404, "unknown model iris", get("/v2/models/iris"));
        assertError(404, "unknown model iris", post("/v2/models/iris/infer", "{}"));
        assertError(404, "unknown version fraud-v9", get("/v2/models/fraud/versions/fraud-v9"));
    }

    @Test
    void aStoppedServerFinishesItsWorkAndSucceeds() throws Exception {
        int port = freePort();
        String other = "http://127.0.0.1:" + port;
        StopSignal stop = new StopSignal();
        CompletableFuture<RunnerHarness.Outcome> running = harness(dir.resolve("stopped"), port)
                .start(stop);
        awaitReady(other, running);
        HTTP.send(HttpRequest.newBuilder(URI.create(other + "/v2/models/fraud/infer"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        stop.request();
        RunnerHarness.Outcome outcome = running.get(30, TimeUnit.SECONDS);

        assertEquals(0, outcome.exitCode(), outcome.log());
        assertEquals(1, outcome.metric("requests"));
        assertEquals(1, outcome.metric("errors"));
        assertTrue(outcome.log().contains("ready: model fraud version fraud-v1 on port " + port), outcome.log());
        assertTrue(outcome.log().contains("serve requests=1 (+1) errors=1"), outcome.log());
        assertThrows(ConnectException.class, () -> HTTP.send(HttpRequest.newBuilder(
                URI.create(other + "/v2/health/live")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static RunnerHarness harness(Path where, int port) {
        return new RunnerHarness(where)
                .with(RunnerEnv.JOB_TYPE, "Deploy")
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.PORT, Integer.toString(port));
    }

    private static void awaitReady(String url, CompletableFuture<RunnerHarness.Outcome> running) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (running.isDone()) {
                throw new AssertionError("serve ended: " + running.get().log());
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v2/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void assertError(int status, String message, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        String error = JSON.readTree(response.body()).get("error").asText();
        assertTrue(error.contains(message), error);
    }

    private static JsonNode output(JsonNode response, String name) {
        for (JsonNode output : response.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
