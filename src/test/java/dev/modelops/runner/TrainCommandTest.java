package dev.modelops.runner;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.modelops.runner.store.Digests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsALogisticRegressionThatOnnxRuntimeLoadsWithItsFeatureLayout() throws Exception {
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.TRAIN.toUri().toString())
                .with(RunnerEnv.LABEL_COLUMN, "is_fraud")
                .with(RunnerEnv.HYPERPARAMETERS, "epochs=10,seed=7")
                .run("train");

        assertEquals(0, outcome.exitCode(), outcome.message());
        String uri = outcome.result().path("artifactUri").asText();
        assertTrue(uri.endsWith("/fraud/fraud-v1/model.onnx"), uri);
        Path model = Path.of(URI.create(uri));
        assertEquals(Digests.sha256(model), outcome.result().path("artifactDigest").asText());
        assertEquals(5000, outcome.metric("rows"));
        // 4 numeric columns + 6 merchant categories, one-hot
        assertEquals(10, outcome.metric("features"));
        assertTrue(outcome.metric("trainAuc") > 0.75, outcome.message());

        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(model.toString())) {
            TensorInfo input = (TensorInfo) session.getInputInfo().values().iterator().next().getInfo();
            assertArrayEquals(new long[] {-1, 10}, input.getShape());
            assertEquals("binary", session.getMetadata().getCustomMetadataValue("modelops.task").orElseThrow());
            assertEquals("is_fraud", session.getMetadata().getCustomMetadataValue("modelops.label").orElseThrow());
            assertTrue(session.getMetadata().getCustomMetadataValue("modelops.classes").orElseThrow().contains("\"1\""));
        }
    }

    @Test
    void aMissingLabelColumnFailsWithOneLineNamingIt() {
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.TRAIN.toUri().toString())
                .with(RunnerEnv.LABEL_COLUMN, "fraud")
                .run("train");

        assertEquals(Runner.FAILED, outcome.exitCode());
        assertTrue(outcome.failure().contains("has no column fraud"), outcome.failure());
        assertTrue(!outcome.failure().contains("\n"));
    }
}
