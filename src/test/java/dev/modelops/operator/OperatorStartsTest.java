package dev.modelops.operator;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class OperatorStartsTest {

    @InjectSandbox
    KubernetesClient client;

    @Inject
    Operator operator;

    @TestHTTPResource("/q/health/live")
    URI liveness;

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @Test
    void operatorClientTalksToTheSandboxWithTheCrdsInstalled() {
        Set<String> crds = client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .map(crd -> crd.getMetadata().getName()).collect(Collectors.toSet());
        assertEquals(Set.of("modeljobs.modelops.dev", "modelversions.modelops.dev", "batchpredictions.modelops.dev"), crds);
    }

    @Test
    void aModelJobRoundTripsThroughTheApiServer() {
        ModelJob job = new ModelJob();
        job.getMetadata().setName("churn-v3-evaluate-1");
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(JobType.Evaluate);
        spec.setModelVersion("churn-v3");
        job.setSpec(spec);
        client.resource(job).create();

        ModelJob stored = client.resources(ModelJob.class).withName("churn-v3-evaluate-1").get();
        assertEquals(JobType.Evaluate, stored.getSpec().getType());
        assertEquals("churn-v3", stored.getSpec().getModelVersion());
    }

    @Test
    void aJobLaunchedByTheOperatorsClientRunsToCompletionInTheSimulatedRuntime() {
        client.batch().v1().jobs().resource(new JobBuilder().withNewMetadata().withName("smoke").endMetadata()
                .withNewSpec().withNewTemplate()
                .withNewMetadata().addToAnnotations("sandbox.modelops.dev/duration", "100ms").endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Job job = client.batch().v1().jobs().withName("smoke").get();
            return job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() == 1;
        });
    }

    @Test
    void theOperatorPatchesWithMergePatchesNotServerSideApply() {
        assertFalse(operator.getConfigurationService().useSSAToPatchPrimaryResource(),
                "primary and status patches: JSON merge patch, as the embedded API server and a cluster both take");
        assertFalse(operator.getConfigurationService().ssaBasedCreateUpdateMatchForDependentResources(),
                "dependents: create and update");
    }

    @Test
    void livenessProbeAnswersUp() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(liveness).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"UP\""), response.body());
    }

    @Test
    void readinessProbeAnswersUpOnceTheModelJobControllerRuns() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("modeljob"), response.body());
        });
    }
}
