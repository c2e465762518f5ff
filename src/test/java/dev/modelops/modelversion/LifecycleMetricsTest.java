package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.BatchPrediction;
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

import static dev.modelops.modelversion.Versions.awaitStage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Prometheus scrapes at /q/metrics after a version's lifecycle and a BatchPrediction on its model. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
public class LifecycleMetricsTest {

    /** The metric names of the last scrape. */
    public static final Path SCRAPED = Path.of("target", "metrics", "scraped-names.txt");

    @InjectSandbox
    KubernetesClient client;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void theLifecycleIsCountedByTypePhaseStageChampionAndMissedRuns() throws Exception {
        Versions.imported("loans-v1", "loans", Versions.DIGEST, 0.9).automatic("metrics.auc >= 0.8")
                .deployAutomatically().create(client);
        awaitStage(client, "loans-v1", Stage.Deployed);
        String bp = Files.readString(Path.of("examples", "batch-prediction", "fraud-hourly.yaml"))
                .replace("fraud-hourly", "loans-hourly").replace("model: fraud", "model: loans");
        client.resource(Serialization.unmarshal(bp, BatchPrediction.class)).create();

        await().untilAsserted(() -> {
            String scraped = scrape();
            for (String line : new String[] {
                    "modelops_modeljobs{phase=\"Succeeded\",type=\"Import\"} 1.0",
                    "modelops_modeljobs{phase=\"Succeeded\",type=\"ComputeStatistics\"} 1.0",
                    "modelops_modeljobs{phase=\"Succeeded\",type=\"Evaluate\"} 1.0",
                    "modelops_modeljobs{phase=\"Succeeded\",type=\"Approve\"} 1.0",
                    "modelops_modeljobs{phase=\"Succeeded\",type=\"Deploy\"} 1.0",
                    "modelops_modeljobs{phase=\"Failed\",type=\"Train\"} 0.0",
                    "modelops_modelversions{stage=\"Deployed\"} 1.0",
                    "modelops_modelversions{stage=\"Failed\"} 0.0",
                    "modelops_model_champions{model=\"loans\",namespace=\"default\"} 1.0",
                    "modelops_batchprediction_missed_runs{batchprediction=\"loans-hourly\",namespace=\"default\"} 0.0",
                    "modelops_modeljob_duration_seconds_count{phase=\"Succeeded\",type=\"Evaluate\"} 1",
            }) {
                assertTrue(scraped.contains(line), "no " + line + " in\n" + modelopsLines(scraped));
            }
            assertTrue(scraped.contains("operator_sdk_"), "JOSDK's own metrics");
        });
        keepMetricNames(scrape());
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
