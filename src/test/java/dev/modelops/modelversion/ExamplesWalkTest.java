package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import static dev.modelops.modelversion.Versions.awaitEnded;
import static dev.modelops.modelversion.Versions.awaitStage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples, applied as the README says, walk to Deployed in the sandbox. Its own profile: the imported example
 * runs the built-in runner image, which the sandbox configures and the other tests leave unset.
 */
@QuarkusTest
@TestProfile(ExamplesWalkTest.AsInTheSandbox.class)
@QuarkusTestResource(SandboxResource.class)
class ExamplesWalkTest {

    public static class AsInTheSandbox implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modelops.jobs.runner-image", "ghcr.io/modelops-dev/modelops-runner:0.1.0");
        }
    }

    /** The examples' simulated steps take seconds each, as real ones would take minutes. */
    private static final Duration SLOW = Duration.ofSeconds(40);

    @InjectSandbox
    KubernetesClient client;

    @Test
    void theTrainedExampleIsApprovedByAPersonAndDeployedAndTheImportedOnesByTheirGates() {
        apply("examples/train/modelversion.yaml");
        apply("examples/byom/modelversion.yaml");

        awaitStage(client, "churn-v3", Stage.AwaitingApproval, SLOW);
        apply("examples/train/approve.yaml");
        awaitStage(client, "churn-v3", Stage.Approved);
        apply("examples/train/deploy.yaml");
        assertEquals(JobPhase.Succeeded, awaitEnded(client, "churn-v3-deploy-1").getStatus().getPhase());
        assertTrue(awaitStage(client, "churn-v3", Stage.Deployed).getStatus().getChampion());

        awaitStage(client, "fraud-v1", Stage.Deployed, SLOW);
        apply("examples/byom/modelversion-v2.yaml");
        ModelVersion v2 = awaitStage(client, "fraud-v2", Stage.Deployed, SLOW);
        assertTrue(v2.getStatus().getChampion());
        ModelVersion v1 = awaitStage(client, "fraud-v1", Stage.Retired);
        assertEquals("superseded by fraud-v2",
                Versions.job(client, v1.getStatus().getJobs().getRetire()).getSpec().getReason());
        await().until(() -> awaitEnded(client, v1.getStatus().getJobs().getRetire()).getStatus().getPhase()
                == JobPhase.Succeeded);
    }

    private void apply(String path) {
        try (InputStream yaml = new FileInputStream(path)) {
            client.load(yaml).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
