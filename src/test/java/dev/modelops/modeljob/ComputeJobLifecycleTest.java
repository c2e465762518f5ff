package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A compute ModelJob from creation to its end: its Job, status, result, timeline, Events and kept logs. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class ComputeJobLifecycleTest {

    @InjectSandbox
    KubernetesClient client;

    @BeforeEach
    void version() {
        ModelJobs.ensureVersion(client, "churn-v3");
    }

    @Test
    void anEvaluateJobRunsOneOwnedLabelledRestrictedJobWithTheVersionsInputs() {
        ModelJob created = modelJob("eval-inputs", JobType.Evaluate, "churn-v3").runs("100ms").create(client);
        awaitCondition(client, "eval-inputs", "Complete");

        Job job = client.batch().v1().jobs().withName("eval-inputs").get();
        assertEquals(1, client.batch().v1().jobs().withLabel("modelops.dev/model-job", "eval-inputs").list()
                .getItems().size(), "exactly one Job");
        assertEquals(created.getMetadata().getUid(), job.getMetadata().getOwnerReferences().get(0).getUid());
        assertTrue(job.getMetadata().getOwnerReferences().get(0).getController());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "modelops-operator", "modelops.dev/model", "churn",
                "modelops.dev/model-version", "churn-v3", "modelops.dev/job-type", "Evaluate",
                "modelops.dev/model-job", "eval-inputs"), job.getMetadata().getLabels());
        var pod = job.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals("ghcr.io/acme/churn-eval:1.4.0", container.getImage(), "the version's evaluate image");
        Map<String, String> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals("churn", env.get("MODELOPS_MODEL"));
        assertEquals("churn-v3", env.get("MODELOPS_MODEL_VERSION"));
        assertEquals("Evaluate", env.get("MODELOPS_JOB_TYPE"));
        assertEquals("s3://datasets/churn/holdout.csv", env.get("MODELOPS_DATASET_URI"));
        assertEquals("Never", pod.getRestartPolicy());
        assertTrue(container.getSecurityContext().getRunAsNonRoot());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("RuntimeDefault", container.getSecurityContext().getSeccompProfile().getType());
        assertEquals(0, job.getSpec().getBackoffLimit(), "the operator's default");
        assertEquals(3600, job.getSpec().getTtlSecondsAfterFinished());
    }

    @Test
    void aSucceededJobReportsItsResultTimelineEventsAndKeepsItsLogs() {
        modelJob("eval-ok", JobType.Evaluate, "churn-v3").runs("200ms")
                .logs("scoring 20000 rows\nauc=0.91\n")
                .reports("{\"metrics\":{\"auc\":0.91},\"artifactUri\":\"s3://models/churn/3\"}").create(client);
        ModelJob done = awaitCondition(client, "eval-ok", "Complete");

        var status = done.getStatus();
        assertEquals(JobPhase.Succeeded, status.getPhase());
        assertEquals(0.91, status.getResult().getMetrics().get("auc"));
        assertEquals("s3://models/churn/3", status.getResult().getArtifactUri());
        assertEquals("eval-ok", status.getJobName());
        assertEquals(1, status.getPodNames().size());
        assertNotNull(status.getStartTime());
        assertNotNull(status.getCompletionTime());
        assertEquals(done.getMetadata().getGeneration(), status.getObservedGeneration());
        assertTrue(Conditions.isTrue(status.getConditions(), "Started"));
        assertFalse(Conditions.isTrue(status.getConditions(), "Failed"));
        assertFalse(Conditions.isTrue(status.getConditions(), "Cancelled"));
        status.getConditions().forEach(c -> assertNotNull(c.getReason(), c.getType() + " has a reason"));

        List<String> story = status.getTimeline().stream().map(TimelineEntry::getReason).toList();
        assertEquals(List.of("Created", "JobCreated", "PodScheduled", "Started", "Succeeded"), story);
        await().untilAsserted(() -> { // Events follow the status write that recorded their entries
            List<Event> events = client.v1().events().withField("involvedObject.name", "eval-ok")
                    .withField("involvedObject.kind", "ModelJob").list().getItems();
            assertEquals(story.stream().sorted().toList(), events.stream().map(Event::getReason).sorted().toList(),
                    "one Event per timeline entry");
            assertTrue(events.stream().allMatch(e -> e.getCount() == 1), "no Event repeated");
        });

        ConfigMap logs = client.configMaps().withName(status.getLogs().getConfigMap()).get();
        assertEquals("eval-ok-logs", logs.getMetadata().getName());
        assertFalse(status.getLogs().getTruncated());
        assertEquals("scoring 20000 rows\nauc=0.91\n", logs.getData().get(status.getPodNames().get(0) + ".log"));
        assertEquals(done.getMetadata().getUid(), logs.getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void aFailingContainerFailsTheJobWithItsExitCodeAndLastLogLines() {
        modelJob("eval-broken", JobType.Evaluate, "churn-v3").runs("100ms").exits(3)
                .logs("reading holdout\nERROR column 'tenure_months' missing\n").create(client);
        ModelJob failed = awaitCondition(client, "eval-broken", "Failed");

        assertEquals(JobPhase.Failed, failed.getStatus().getPhase());
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("BackoffLimitExceeded", condition.getReason());
        String message = failed.getStatus().getMessage();
        assertTrue(message.contains("exit code 3 (Error)"), message);
        assertTrue(message.endsWith("ERROR column 'tenure_months' missing"), message);
        assertFalse(Conditions.isTrue(failed.getStatus().getConditions(), "Complete"));
        assertNotNull(client.configMaps().withName("eval-broken-logs").get());
    }

    @Test
    void aResultThatIsNotJsonFailsTheJobQuotingIt() {
        modelJob("eval-garbled", JobType.Evaluate, "churn-v3").runs("100ms").reports("auc=0.91").create(client);
        ModelJob failed = awaitCondition(client, "eval-garbled", "Failed");

        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("InvalidResult", condition.getReason());
        assertTrue(condition.getMessage().contains("\"auc=0.91\""), condition.getMessage());
    }
}
