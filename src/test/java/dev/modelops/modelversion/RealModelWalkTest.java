package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.batchprediction.BatchPredictionReconciler;
import dev.modelops.helm.ArgoCdHealth;
import dev.modelops.modeljob.ModelJobReconciler;
import dev.modelops.sandbox.runtime.RunnerLaunch;
import dev.modelops.testing.PlainOperators;
import dev.modelops.testing.ProcessClusterTest;
import dev.modelops.testing.TestJobSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples of {@code examples/runner} with the built-in runner run for real, as in the sandbox: a real ONNX model
 * imported, profiled, evaluated, approved by its gates and deployed, then a run now that writes real predictions.
 * The runner's commands are run as processes from the test's class path.
 */
class RealModelWalkTest extends ProcessClusterTest {

    /** Four JVMs start one after the other, each loading ONNX Runtime or DuckDB: slow on a busy machine. */
    private static final Duration WALK = Duration.ofMinutes(4);

    private Operator operator;
    private KubernetesClient operatorClient;

    @Override
    protected String mainClass() {
        return RunnerLaunch.MAIN_CLASS;
    }

    @BeforeEach
    void startOperator() throws IOException {
        for (String file : List.of("fraud-train.csv", "fraud-holdout.csv", "fraud-model.onnx")) {
            Files.copy(Path.of("examples", "data", file), data.resolve(file));
        }
        var settings = TestJobSettings.withRunner(RUNNER, data.resolve("artifacts").toUri().toString());
        operatorClient = server.newClient("modelops-operator/test");
        operator = PlainOperators.create(operatorClient, settings, overrider -> { });
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
        operator.register(new ModelVersionReconciler(settings, Clock.systemUTC()));
        operator.register(new BatchPredictionReconciler(settings, Clock.systemUTC()));
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
        operatorClient.close();
    }

    @Test
    void theExampleModelIsDeployedWithItsRealMetricsAndARunNowWritesItsPredictions() throws Exception {
        client.resource(example("fraud-v1.yaml", ModelVersion.class)).create();
        try {
            await().atMost(WALK).until(() -> stage("fraud-real-v1") == Stage.Deployed
                    || stage("fraud-real-v1") == Stage.Failed);
        } finally {
            System.out.println(Serialization.asYaml(client.resources(ModelVersion.class).withName("fraud-real-v1")
                    .get().getStatus()));
        }
        ModelVersion version = client.resources(ModelVersion.class).withName("fraud-real-v1").get();
        assertEquals(Stage.Deployed, version.getStatus().getStage(), version.getStatus().getMessage());
        assertEquals(sha256(data.resolve("fraud-model.onnx")), version.getStatus().getArtifactDigest());
        assertTrue(version.getStatus().getArtifactUri().startsWith(data.resolve("artifacts").toUri().toString()),
                version.getStatus().getArtifactUri());
        assertEquals(5000, version.getStatus().getStatistics().path("rows").asLong(), "profiled the training set");
        double auc = version.getStatus().getMetrics().get("auc");
        assertTrue(auc > 0.7 && auc < 0.8, "the holdout AUC of the example model is about 0.75: " + auc);
        assertTrue(version.getStatus().getMetrics().get("driftMax") < 0.1);
        assertTrue(client.batch().v1().jobs().withName("fraud-real-v1-evaluate-1").getLog()
                .contains("evaluate succeeded"), "its log is the runner's");
        assertEquals("Healthy", ArgoCdHealth.of("modelversion.lua", version), "Argo CD's health of what it left");
        assertEquals("Healthy", ArgoCdHealth.of("modeljob.lua",
                client.resources(ModelJob.class).withName("fraud-real-v1-evaluate-1").get()));

        client.resource(example("fraud-scoring.yaml", BatchPrediction.class)).create();
        await().atMost(WALK).until(() -> client.batch().v1().cronjobs().withName("fraud-real-scoring").get() != null);
        client.resources(BatchPrediction.class).withName("fraud-real-scoring").patch(PatchContext.of(
                PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"modelops.dev/run-now\":\"1\"}}}");
        await().atMost(WALK).until(() -> {
            ModelJob run = client.resources(ModelJob.class).withName("fraud-real-scoring-now-1").get();
            return run != null && run.getStatus() != null && run.getStatus().getPhase() != null
                    && run.getStatus().getPhase() != JobPhase.Pending && run.getStatus().getPhase() != JobPhase.Running;
        });
        ModelJob run = client.resources(ModelJob.class).withName("fraud-real-scoring-now-1").get();
        assertEquals(JobPhase.Succeeded, run.getStatus().getPhase(), run.getStatus().getMessage());
        assertEquals("Healthy", ArgoCdHealth.of("batchprediction.lua",
                client.resources(BatchPrediction.class).withName("fraud-real-scoring").get()));
        Path predictions = data.resolve("predictions").resolve("fraud-real.csv");
        assertEquals(predictions.toUri().toString().replace("file:///", "file:/"),
                run.getStatus().getResult().getOutputUri().replace("file:///", "file:/"));
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(2001, lines.size(), "a header and a prediction for each of the 2,000 holdout rows");
        assertEquals(auc, rankSumAuc(lines), 1e-9,
                "the AUC of the scored holdout, by the rank-sum formula, is the one Evaluate reported");
    }

    private Stage stage(String name) {
        ModelVersion version = client.resources(ModelVersion.class).withName(name).get();
        return version.getStatus() == null ? null : version.getStatus().getStage();
    }

    /** An example of examples/runner with its files in this test's data folder. */
    private static <T> T example(String file, Class<T> kind) throws IOException {
        String yaml = Files.readString(Path.of("examples", "runner", file))
                .replace("file:///tmp/modelops-sandbox/", data.toUri().toString());
        return Serialization.unmarshal(yaml, kind);
    }

    /** Mann-Whitney: the share of (fraud, not fraud) pairs that the model ranks right, ties counting half. */
    private static double rankSumAuc(List<String> csv) {
        List<String> header = List.of(csv.get(0).split(","));
        int label = header.indexOf("is_fraud");
        int score = header.indexOf("probability_1");
        List<double[]> rows = csv.stream().skip(1).map(line -> line.split(","))
                .map(cells -> new double[] {Double.parseDouble(cells[score]), Double.parseDouble(cells[label])})
                .sorted((a, b) -> Double.compare(a[0], b[0])).toList();
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < rows.size(); ) {
            int j = i;
            while (j < rows.size() && rows.get(j)[0] == rows.get(i)[0]) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0; // ties share the mean of their ranks
            for (int k = i; k < j; k++) {
                if (rows.get(k)[1] == 1) {
                    rankSum += rank;
                    positives++;
                }
            }
            i = j;
        }
        long negatives = rows.size() - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
