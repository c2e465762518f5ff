package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code kubectl delete mv} while the version's jobs run: its own steps go with it (owner references, garbage
 * collection), a person's ModelJob on it runs to its end, and a new one waits for a version of that name.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class VersionDeletedWhileJobsRunTest {

    @InjectSandbox
    KubernetesClient client;

    @Test
    void itsOwnStepsGoWithItAndAPersonsJobRunsToItsEnd() {
        Versions.trained("deleted-v1", "deleted", 0.9).trainingTakes("60s").create(client);
        awaitPhase("deleted-v1-train-1", JobPhase.Running);
        ModelJob adHoc = evaluate("deleted-adhoc-1", "3s");
        awaitPhase("deleted-adhoc-1", JobPhase.Running);

        client.resources(ModelVersion.class).withName("deleted-v1").delete();

        await().atMost(Duration.ofSeconds(30)).until(() -> Versions.job(client, "deleted-v1-train-1") == null
                && client.batch().v1().jobs().withName("deleted-v1-train-1").get() == null
                && client.pods().withLabel("job-name", "deleted-v1-train-1").list().getItems().isEmpty());
        ModelJob done = awaitPhase("deleted-adhoc-1", JobPhase.Succeeded);
        assertEquals(adHoc.getMetadata().getUid(), done.getMetadata().getUid());
        assertEquals(0.7, done.getStatus().getResult().getMetrics().get("auc"));

        evaluate("deleted-adhoc-2", "10ms");
        ModelJob waiting = await().until(() -> Versions.job(client, "deleted-adhoc-2"), job -> job.getStatus() != null
                && Conditions.find(job.getStatus().getConditions(), "Started")
                        .map(c -> "ModelVersionNotFound".equals(c.getReason())).orElse(false));
        assertEquals(JobPhase.Pending, waiting.getStatus().getPhase());
        assertNull(client.batch().v1().jobs().withName("deleted-adhoc-2").get());
    }

    private ModelJob evaluate(String name, String duration) {
        ModelJob job = new ModelJob();
        job.getMetadata().setName(name);
        job.setSpec(new ModelJobSpec());
        job.getSpec().setType(JobType.Evaluate);
        job.getSpec().setModelVersion("deleted-v1");
        ContainerTemplate template = new ContainerTemplate();
        template.setPodAnnotations(Map.of("sandbox.modelops.dev/duration", duration,
                "sandbox.modelops.dev/termination-message", "{\"metrics\":{\"auc\":0.7}}"));
        job.getSpec().setTemplate(template);
        return client.resource(job).create();
    }

    private ModelJob awaitPhase(String name, JobPhase phase) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> Versions.job(client, name),
                job -> job != null && job.getStatus() != null && job.getStatus().getPhase() == phase);
    }
}
