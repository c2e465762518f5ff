package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.modelops.modelversion.Versions.awaitStage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Prometheus scrapes at /q/metrics after a version's lifecycle and a BatchPrediction on its model. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
public class LifecycleMetricsTest {

    private static final String DURATIONS_OF_EVALUATE =
            "modelops_modeljob_duration_seconds_count{phase=\"Succeeded\",type=\"Evaluate\"}";

    /** The metric names of the last scrape. */
    public static final Path SCRAPED = Path.of("target", "metrics", "scraped-names.txt");

    @InjectSandbox
    KubernetesClient client;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    /**
     * The Quarkus tests share one API server, so the counts are compared with what the API server holds when scraped,
     * and the durations with what was recorded before this lifecycle.
     */
    @Test
    void theLifecycleIsCountedByTypePhaseStageChampionAndMissedRuns() throws Exception {
        double evaluationsBefore = value(scrape(), DURATIONS_OF_EVALUATE);
        Versions.imported("loans-v1", "loans", Versions.DIGEST, 0.9).automatic("metrics.auc >= 0.8")
                .deployAutomatically().create(client);
        awaitStage(client, "loans-v1", Stage.Deployed);
        String bp = Files.readString(Path.of("examples", "batch-prediction", "fraud-hourly.yaml"))
                .replace("fraud-hourly", "loans-hourly").replace("model: fraud", "model: loans");
        client.resource(Serialization.unmarshal(bp, BatchPrediction.class)).create();

        await().untilAsserted(() -> {
            String scraped = scrape();
            for (JobType type : List.of(JobType.Import, JobType.ComputeStatistics, JobType.Evaluate, JobType.Approve,
                    JobType.Deploy, JobType.Train)) {
                for (JobPhase phase : List.of(JobPhase.Succeeded, JobPhase.Failed)) {
                    long stored = client.resources(ModelJob.class).inAnyNamespace().list().getItems().stream()
                            .filter(job -> job.getSpec().getType() == type && job.getStatus() != null
                                    && job.getStatus().getPhase() == phase).count();
                    assertEquals(stored, value(scraped, "modelops_modeljobs{phase=\"" + phase + "\",type=\"" + type
                            + "\"}"), type + " " + phase + " in\n" + modelopsLines(scraped));
                }
            }
            long deployed = client.resources(ModelVersion.class).inAnyNamespace().list().getItems().stream()
                    .filter(version -> version.getStatus() != null && version.getStatus().getStage() == Stage.Deployed)
                    .count();
            assertTrue(deployed >= 1);
            assertEquals(deployed, value(scraped, "modelops_modelversions{stage=\"Deployed\"}"));
            assertEquals(1, value(scraped, "modelops_model_champions{model=\"loans\",namespace=\"default\"}"));
            assertEquals(0, value(scraped,
                    "modelops_batchprediction_missed_runs{batchprediction=\"loans-hourly\",namespace=\"default\"}"));
            assertTrue(value(scraped, DURATIONS_OF_EVALUATE) >= evaluationsBefore + 1, "the Evaluate that ended");
            assertTrue(scraped.contains("modelops_reconcile_errors_total{controller=\"modelversion\"}"));
            assertTrue(scraped.contains("operator_sdk_"), "JOSDK's own metrics");
        });
        keepMetricNames(scrape());
    }

    /** The value of a series in the scrape; 0 when it is not there yet. */
    private static double value(String scraped, String series) {
        return scraped.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).orElse(0.0);
    }

    /** Every metric name scraped, for {@code DashboardIT} to check the chart's Grafana dashboard against. */
    private static void keepMetricNames(String scraped) throws java.io.IOException {
        Files.createDirectories(SCRAPED.getParent());
        Files.write(SCRAPED, scraped.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).distinct().sorted().toList());
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String modelopsLines(String scraped) {
        return String.join("\n", scraped.lines().filter(line -> line.startsWith("modelops_")
                || line.startsWith("operator_sdk_")).limit(120).toList());
    }
}
