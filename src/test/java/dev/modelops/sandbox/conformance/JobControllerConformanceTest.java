package dev.modelops.sandbox.conformance;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Job controller as Kubernetes 1.31+ runs it: how a Job ends, and when its status says so. */
class JobControllerConformanceTest extends RuntimeConformanceBase {

    // pkg/controller/job/job_controller.go (syncJob, enactJobFinished; KEP-4368 and KEP-3939): past
    // activeDeadlineSeconds the Job gets FailureTarget, its pods are terminated, and Failed waits until none is left
    @Test
    void aDeadlinePassedWhileThePodRunsGivesFailureTargetFirstAndFailedOnlyOnceThePodHasEnded() {
        create(job("slow", Map.of("sandbox.modelops.dev/duration", "1h", "sandbox.modelops.dev/shutdown-delay", "20s"))
                .editSpec().withActiveDeadlineSeconds(60L).endSpec().build());
        runningPodOf("slow");

        clock.advance(Duration.ofSeconds(61));

        await().atMost(WAIT).until(() -> hasCondition("slow", "FailureTarget", "DeadlineExceeded")
                && job("slow").getStatus().getTerminating() == 1);
        Job terminating = job("slow");
        assertFalse(hasCondition("slow", "Failed", null), "Failed while the pod still runs");
        assertEquals(0, terminating.getStatus().getActive());
        assertEquals(0, terminating.getStatus().getFailed());
        assertNotNull(podsOf("slow").get(0).getMetadata().getDeletionTimestamp());

        clock.advance(Duration.ofSeconds(20));

        await().atMost(WAIT).until(() -> hasCondition("slow", "Failed", "DeadlineExceeded"));
        Job failed = job("slow");
        assertEquals(1, failed.getStatus().getFailed());
        assertEquals(0, failed.getStatus().getTerminating());
        assertEquals("Job was active longer than specified deadline", condition("slow", "Failed").get().getMessage());
        assertEquals(List.of("FailureTarget", "Failed"), types(failed));
    }

    // job_controller.go: exceedsBackoffLimit sets FailureTarget (BackoffLimitExceeded), then Failed with the same
    // reason once the failed pods are counted (status.failed, through uncountedTerminatedPods)
    @Test
    void aJobPastItsBackoffLimitGetsFailureTargetThenFailedWithEveryFailedPodCounted() {
        create(job("flaky", Map.of("sandbox.modelops.dev/duration", "0s", "sandbox.modelops.dev/exit-code", "3"))
                .editSpec().withBackoffLimit(1).endSpec().build());

        await().atMost(WAIT).until(() -> hasCondition("flaky", "Failed", "BackoffLimitExceeded"));
        Job failed = job("flaky");
        assertEquals(List.of("FailureTarget", "Failed"), types(failed));
        assertEquals("BackoffLimitExceeded", condition("flaky", "FailureTarget").get().getReason());
        assertEquals(2, failed.getStatus().getFailed());
        assertTrue(failed.getStatus().getUncountedTerminatedPods().getFailed().isEmpty());
    }

    // job_controller.go (1.31+): SuccessCriteriaMet for every Job, then Complete with completionTime; the pod stays,
    // its batch.kubernetes.io/job-tracking finalizer removed once it is counted (KEP-2307)
    @Test
    void aJobThatSucceedsGetsSuccessCriteriaMetThenCompleteAndItsPodLosesTheTrackingFinalizer() {
        create(job("train", Map.of("sandbox.modelops.dev/duration", "10s")).build());
        Pod running = runningPodOf("train");
        assertEquals(List.of("batch.kubernetes.io/job-tracking"), running.getMetadata().getFinalizers());

        clock.advance(Duration.ofSeconds(10));

        await().atMost(WAIT).until(() -> hasCondition("train", "Complete", "CompletionsReached"));
        Job complete = job("train");
        assertEquals(List.of("SuccessCriteriaMet", "Complete"), types(complete));
        assertEquals(1, complete.getStatus().getSucceeded());
        assertNotNull(complete.getStatus().getCompletionTime());
        await().atMost(WAIT).until(() -> podsOf("train").get(0).getMetadata().getFinalizers().isEmpty());
        assertEquals("Succeeded", phase(podsOf("train").get(0)));
    }

    // job_controller.go: a suspended Job's active pods are deleted, Suspended is True and status.startTime is cleared
    // (docs: concepts/workloads/controllers/job.md#suspending-a-job); on resume startTime is set anew
    @Test
    void suspendingAJobTerminatesItsPodAndClearsStartTime() {
        create(job("paused", Map.of("sandbox.modelops.dev/duration", "1h")).build());
        runningPodOf("paused");
        assertNotNull(job("paused").getStatus().getStartTime());

        suspend("paused", true);

        await().atMost(WAIT).until(() -> hasCondition("paused", "Suspended", "JobSuspended") && podsOf("paused").isEmpty()
                && job("paused").getStatus().getStartTime() == null);
        assertEquals(0, job("paused").getStatus().getActive());

        clock.advance(Duration.ofMinutes(5));
        suspend("paused", false);

        await().atMost(WAIT).until(() -> job("paused").getStatus().getStartTime() != null);
        assertEquals(clock.now().toString(), job("paused").getStatus().getStartTime());
        runningPodOf("paused");
        JobCondition resumed = job("paused").getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Suspended")).findFirst().orElseThrow();
        assertEquals("False", resumed.getStatus());
        assertEquals("JobResumed", resumed.getReason());
        assertNull(condition("paused", "Failed").orElse(null), "a suspension is no failure of the Job");
    }

    private void suspend(String job, boolean suspend) {
        client.batch().v1().jobs().withName(job).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"suspend\":" + suspend + "}}");
    }

    private static List<String> types(Job job) {
        return job.getStatus().getConditions().stream().map(JobCondition::getType).toList();
    }
}
