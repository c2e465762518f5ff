package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Job and logs ConfigMap are the operator's, but a person can delete or edit them: the ModelJob says what became
 * of its run, takes back what is its own, and never runs a step twice.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class HandEditedChildrenTest {

    private static final String VERSION = "edited-v1";

    @InjectSandbox
    KubernetesClient client;

    @BeforeEach
    void version() {
        ModelJobs.ensureVersion(client, VERSION);
    }

    @Test
    void aJobDeletedWhileItRunsFailsItsModelJobJobLostAndIsNeverCreatedAgain() {
        modelJob("deleted-running", JobType.Train, VERSION).runs("60s").create(client);
        awaitPhase("deleted-running", JobPhase.Running);

        client.batch().v1().jobs().withName("deleted-running").delete();

        ModelJob lost = awaitCondition(client, "deleted-running", "Failed");
        assertEquals("JobLost", Conditions.find(lost.getStatus().getConditions(), "Failed").orElseThrow().getReason());
        assertTrue(lost.getStatus().getMessage().startsWith("Job deleted-running is gone before it finished"),
                lost.getStatus().getMessage());
        await().during(Duration.ofSeconds(1)).until(() -> client.batch().v1().jobs().withName("deleted-running")
                .get() == null);
    }

    @Test
    void aFinishedJobOrItsKeptLogsDeletedByHandAreNotRunOrKeptAgain() {
        modelJob("deleted-after", JobType.Evaluate, VERSION).runs("10ms").logs("scored\n")
                .reports("{\"metrics\":{\"auc\":0.8}}").create(client);
        ModelJob done = awaitCondition(client, "deleted-after", "Complete");
        String configMap = done.getStatus().getLogs().getConfigMap();

        client.batch().v1().jobs().withName("deleted-after").delete();
        client.configMaps().withName(configMap).delete();

        await().during(Duration.ofSeconds(1)).until(() -> client.batch().v1().jobs().withName("deleted-after")
                .get() == null && client.configMaps().withName(configMap).get() == null);
        ModelJob after = get(client, "deleted-after");
        assertEquals(JobPhase.Succeeded, after.getStatus().getPhase());
        assertEquals(Serialization.asJson(done.getStatus()), Serialization.asJson(after.getStatus()),
                "its record is unchanged");
        assertEquals(0.8, after.getStatus().getResult().getMetrics().get("auc"));
    }

    @Test
    void aJobWhoseOwnerReferenceIsRemovedIsNoLongerTheModelJobsAndIsLeftRunning() {
        modelJob("disowned", JobType.Train, VERSION).runs("60s").create(client);
        awaitPhase("disowned", JobPhase.Running);
        String uid = client.batch().v1().jobs().withName("disowned").get().getMetadata().getUid();

        client.batch().v1().jobs().withName("disowned").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"ownerReferences\":null}}");

        ModelJob lost = awaitCondition(client, "disowned", "Failed");
        assertEquals("JobLost", Conditions.find(lost.getStatus().getConditions(), "Failed").orElseThrow().getReason());
        assertEquals("Job disowned no longer names this ModelJob as its controller (its owner reference was changed):"
                + " it is not this job's any more and is left as it is. The step may have run; it is never run twice:"
                + " create a new ModelJob to run it again", lost.getStatus().getMessage());
        Job left = client.batch().v1().jobs().withName("disowned").get();
        assertEquals(uid, left.getMetadata().getUid());
        assertTrue(left.getSpec().getSuspend() == null || !left.getSpec().getSuspend(), "not stopped by the operator");
    }

    @Test
    void aJobWhoseLabelsAreRemovedGetsThemBackAndItsModelJobEndsAsUsual() {
        modelJob("unlabelled", JobType.Train, VERSION).runs("3s").reports("{\"artifactUri\":\"s3://m/1\"}")
                .create(client);
        awaitPhase("unlabelled", JobPhase.Running);
        String uid = client.batch().v1().jobs().withName("unlabelled").get().getMetadata().getUid();

        client.batch().v1().jobs().withName("unlabelled").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":null}}");

        await().until(() -> {
            Job job = client.batch().v1().jobs().withName("unlabelled").get();
            return job.getMetadata().getLabels() != null
                    && "unlabelled".equals(job.getMetadata().getLabels().get("modelops.dev/model-job"));
        });
        ModelJob done = awaitCondition(client, "unlabelled", "Complete");
        assertEquals("s3://m/1", done.getStatus().getResult().getArtifactUri());
        assertEquals(uid, client.batch().v1().jobs().withName("unlabelled").get().getMetadata().getUid());
    }

    @Test
    void aJobSuspendedByHandIsReportedAndRunsOnWhenItIsResumed() {
        modelJob("paused", JobType.Train, VERSION).runs("3s").reports("{\"artifactUri\":\"s3://m/2\"}").create(client);
        awaitPhase("paused", JobPhase.Running);

        client.batch().v1().jobs().withName("paused").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"suspend\":true}}");

        ModelJob waiting = await().until(() -> get(client, "paused"), job -> job.getStatus().getTimeline().stream()
                .map(TimelineEntry::getReason).anyMatch("JobSuspended"::equals));
        assertEquals(JobPhase.Running, waiting.getStatus().getPhase());
        assertTrue(waiting.getStatus().getMessage().startsWith("Job paused was suspended by someone else (its"
                + " spec.suspend), not by spec.stop"), waiting.getStatus().getMessage());
        assertNotNull(client.v1().events().withField("involvedObject.name", "paused").list().getItems().stream()
                .filter(e -> "JobSuspended".equals(e.getReason())).findFirst().orElse(null));

        client.batch().v1().jobs().withName("paused").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"suspend\":false}}");

        ModelJob done;
        try {
            done = await().atMost(Duration.ofSeconds(30)).until(() -> get(client, "paused"),
                    job -> Conditions.isTrue(job.getStatus().getConditions(), "Complete"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(Serialization.asYaml(get(client, "paused").getStatus()) + "\n"
                    + Serialization.asYaml(client.batch().v1().jobs().withName("paused").get()) + "\n"
                    + Serialization.asYaml(client.pods().withLabel("job-name", "paused").list().getItems()), e);
        }
        assertEquals("s3://m/2", done.getStatus().getResult().getArtifactUri());
        assertTrue(!Conditions.isTrue(done.getStatus().getConditions(), "Cancelled"));
    }

    private void awaitPhase(String name, JobPhase phase) {
        await().until(() -> {
            ModelJob job = get(client, name);
            return job != null && job.getStatus() != null && job.getStatus().getPhase() == phase;
        });
    }
}
