package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kubectl patch mj x --type merge -p '{"spec":{"stop":true}}'} in each state a job can be in. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class StopTest {

    @InjectSandbox
    KubernetesClient client;

    @BeforeEach
    void version() {
        ModelJobs.ensureVersion(client, "churn-v3");
    }

    @Test
    void aJobStoppedBeforeItsJobExistsNeverCreatesOne() {
        modelJob("stop-early", JobType.Train, "no-such-version").stopped("wrong dataset").create(client);
        ModelJob cancelled = awaitCondition(client, "stop-early", "Cancelled");

        assertEquals(JobPhase.Cancelled, cancelled.getStatus().getPhase());
        assertEquals("Stopped: wrong dataset", cancelled.getStatus().getMessage());
        client.resource(ModelJobs.version("no-such-version")).create();
        await().during(java.time.Duration.ofMillis(500)).until(() -> client.batch().v1().jobs().withName("stop-early")
                .get() == null);
        assertNull(cancelled.getStatus().getJobName());
    }

    @Test
    void aPendingJobIsStoppedAndItsPodDeleted() {
        modelJob("stop-pending", JobType.Evaluate, "churn-v3").pending("60s").create(client);
        awaitPod("stop-pending", pod -> pod.getStatus() != null && "Pending".equals(pod.getStatus().getPhase()));

        stop("stop-pending", "not needed");

        ModelJob cancelled = awaitCondition(client, "stop-pending", "Cancelled");
        assertEquals("Pending", reasonOfStop(cancelled));
        assertTrue(client.batch().v1().jobs().withName("stop-pending").get().getSpec().getSuspend());
        await().until(() -> pods("stop-pending").isEmpty());
    }

    @Test
    void aJobThatCannotPullItsImageIsStopped() {
        modelJob("stop-pulling", JobType.Evaluate, "churn-v3").cannotPullItsImage().create(client);
        await().until(() -> {
            ModelJob job = get(client, "stop-pulling");
            return job.getStatus() != null && Conditions.find(job.getStatus().getConditions(), "Started")
                    .map(c -> c.getReason().equals("ImagePullBackOff") || c.getReason().equals("ErrImagePull"))
                    .orElse(false);
        });

        stop("stop-pulling", "typo in the image");

        ModelJob cancelled = awaitCondition(client, "stop-pulling", "Cancelled");
        assertTrue(story(cancelled).contains("PodWaiting"), story(cancelled).toString());
        await().until(() -> pods("stop-pulling").isEmpty());
    }

    @Test
    void aRunningJobIsStoppedItsPodGetsItsGracePeriodAndItsLogsSoFarAreKept() {
        modelJob("stop-running", JobType.Train, "churn-v3").runs("20s")
                .logs("epoch 1/4 loss=0.61\nepoch 2/4 loss=0.44\nepoch 3/4 loss=0.32\nepoch 4/4 loss=0.23\n").create(client);
        await().until(() -> get(client, "stop-running").getStatus() != null
                && get(client, "stop-running").getStatus().getPhase() == JobPhase.Running);
        String pod = get(client, "stop-running").getStatus().getPodNames().get(0);
        await().until(() -> client.pods().withName(pod).getLog().startsWith("epoch 1/4"));

        stop("stop-running", "superseded by v4");

        ModelJob cancelled = awaitCondition(client, "stop-running", "Cancelled");
        assertEquals(JobPhase.Cancelled, cancelled.getStatus().getPhase());
        assertEquals(List.of("Created", "JobCreated", "PodScheduled", "Started", "StopRequested", "Cancelled"),
                story(cancelled));
        String kept = client.configMaps().withName("stop-running-logs").get().getData().get(pod + ".log");
        assertTrue(kept.startsWith("epoch 1/4 loss=0.61\n") && !kept.contains("epoch 4/4"), kept);
        Pod terminating = client.pods().withName(pod).get();
        assertTrue(terminating == null || terminating.getMetadata().getDeletionTimestamp() != null,
                "the pod is deleted with its grace period");
        assertFalse(Conditions.isTrue(cancelled.getStatus().getConditions(), "Failed"));
    }

    @Test
    void stoppingAFinishedJobChangesNothingButItsObservedGeneration() {
        modelJob("stop-late", JobType.Evaluate, "churn-v3").runs("10ms").create(client);
        ModelJob done = awaitCondition(client, "stop-late", "Complete");

        stop("stop-late", "too late");

        ModelJob acknowledged = await().until(() -> get(client, "stop-late"), now -> now.getStatus()
                .getObservedGeneration().equals(now.getMetadata().getGeneration()));
        assertEquals(done.getMetadata().getGeneration() + 1, acknowledged.getStatus().getObservedGeneration(),
                "kstatus, Flux and the chart's Argo CD check see that the change was seen");
        assertEquals(JobPhase.Succeeded, acknowledged.getStatus().getPhase());
        assertEquals(Serialization.asJson(done.getStatus().getTimeline()),
                Serialization.asJson(acknowledged.getStatus().getTimeline()));
        assertEquals(Serialization.asJson(done.getStatus().getConditions()),
                Serialization.asJson(acknowledged.getStatus().getConditions()));
        assertFalse(Boolean.TRUE.equals(client.batch().v1().jobs().withName("stop-late").get().getSpec().getSuspend()));
    }

    private void stop(String name, String reason) {
        client.resources(ModelJob.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"stop\":true,\"reason\":\"" + reason + "\"}}");
    }

    private void awaitPod(String modelJob, Predicate<Pod> state) {
        await().until(() -> pods(modelJob).stream().anyMatch(state));
    }

    private List<Pod> pods(String modelJob) {
        return client.pods().withLabel("modelops.dev/model-job", modelJob).list().getItems();
    }

    private static List<String> story(ModelJob job) {
        return job.getStatus().getTimeline().stream().map(TimelineEntry::getReason).toList();
    }

    /** The phase the job was in when it was stopped, as the Cancelled entry says. */
    private static String reasonOfStop(ModelJob job) {
        String message = job.getStatus().getTimeline().get(job.getStatus().getTimeline().size() - 1).getMessage();
        return message.replaceAll(".* while (\\w+).*", "$1");
    }
}
