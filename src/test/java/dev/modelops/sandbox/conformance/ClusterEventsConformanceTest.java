package dev.modelops.sandbox.conformance;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core Events a cluster's scheduler, kubelet and controllers record, and what a cluster's pods do not carry. */
class ClusterEventsConformanceTest extends RuntimeConformanceBase {

    // pkg/scheduler/schedule_one.go (Scheduled), pkg/kubelet/events/event.go and kuberuntime_image.go /
    // kuberuntime_container.go (Pulling, Pulled, Created, Started), pkg/controller/job/job_controller.go
    // (SuccessfulCreate "Created pod: ...", Completed "Job completed")
    @Test
    void aJobThatRunsRecordsTheEventsOfTheSchedulerTheKubeletAndTheJobController() {
        client.batch().v1().jobs().resource(job("train", Map.of("sandbox.modelops.dev/duration", "1s")).build()).create();
        Pod pod = runningPodOf("train");
        String name = pod.getMetadata().getName();
        clock.advance(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> hasCondition("train", "Complete", null));

        await().atMost(WAIT).until(() -> reasons(name).containsAll(List.of("Scheduled", "Pulling", "Pulled", "Created",
                "Started")));
        assertEquals("default-scheduler", from(name, "Scheduled"));
        assertEquals("Successfully assigned default/" + name + " to sandbox-node", message(name, "Scheduled"));
        assertEquals("kubelet", from(name, "Started"));
        assertEquals("Pulling image \"trainer:1\"", message(name, "Pulling"));
        assertEquals("Started container main", message(name, "Started"));
        await().atMost(WAIT).until(() -> reasons("train").containsAll(List.of("SuccessfulCreate", "Completed")));
        assertEquals("job-controller", from("train", "SuccessfulCreate"));
        assertEquals("Created pod: " + name, message("train", "SuccessfulCreate"));
        assertEquals("Job completed", message("train", "Completed"));
    }

    // job_controller.go: the pods of a failed Job are deleted (SuccessfulDelete "Deleted pod: ...") and the Job's
    // end is a Warning whose reason is the Failed condition's (DeadlineExceeded, BackoffLimitExceeded)
    @Test
    void aJobPastItsDeadlineRecordsSuccessfulDeleteAndAWarningDeadlineExceeded() {
        client.batch().v1().jobs().resource(job("slow", Map.of("sandbox.modelops.dev/duration", "1h"))
                .editSpec().withActiveDeadlineSeconds(30L).endSpec().build()).create();
        String name = runningPodOf("slow").getMetadata().getName();

        clock.advance(Duration.ofSeconds(31));

        await().atMost(WAIT).until(() -> reasons("slow").containsAll(List.of("SuccessfulDelete", "DeadlineExceeded")));
        assertEquals("Deleted pod: " + name, message("slow", "SuccessfulDelete"));
        Event deadline = event("slow", "DeadlineExceeded");
        assertEquals("Warning", deadline.getType());
        assertEquals("Job was active longer than specified deadline", deadline.getMessage());
        assertEquals("kubelet", from(name, "Killing"));
    }

    @Test
    void aJobPastItsBackoffLimitRecordsAWarningBackoffLimitExceeded() {
        client.batch().v1().jobs().resource(job("flaky", Map.of("sandbox.modelops.dev/duration", "0s",
                "sandbox.modelops.dev/exit-code", "1")).build()).create();

        await().atMost(WAIT).until(() -> reasons("flaky").contains("BackoffLimitExceeded"));
        assertEquals("Warning", event("flaky", "BackoffLimitExceeded").getType());
        assertEquals("Job has reached the specified backoff limit", message("flaky", "BackoffLimitExceeded"));
    }

    // pkg/controller/cronjob/cronjob_controllerv2.go: SuccessfulCreate "Created job ..." and, once the Job has
    // finished, SawCompletedJob "Saw completed job: ..., condition: Complete"
    @Test
    void aCronJobRecordsTheJobItCreatedAndThatItSawItComplete() {
        client.batch().v1().cronjobs().resource(new CronJobBuilder().withNewMetadata().withName("nightly").endMetadata()
                .withNewSpec().withSchedule("*/5 * * * *").withNewJobTemplate()
                .withSpec(job("ignored", Map.of("sandbox.modelops.dev/duration", "0s")).build().getSpec())
                .endJobTemplate().endSpec().build()).create();
        Instant due = Instant.ofEpochSecond((clock.now().plusSeconds(1).getEpochSecond() / 300 + 1) * 300);
        clock.set(due);
        String job = "nightly-" + due.getEpochSecond() / 60;

        await().atMost(WAIT).until(() -> reasons("nightly").containsAll(List.of("SuccessfulCreate", "SawCompletedJob")));
        assertEquals("cronjob-controller", from("nightly", "SuccessfulCreate"));
        assertEquals("Created job " + job, message("nightly", "SuccessfulCreate"));
        assertEquals("Saw completed job: " + job + ", condition: Complete", message("nightly", "SawCompletedJob"));
    }

    // A cluster's pods carry no finalizer of the kubelet's: a pod of no controller has none while it runs, and a
    // Job's pod only the Job controller's batch.kubernetes.io/job-tracking (KEP-2307)
    @Test
    void runningPodsCarryNoFinalizerOfTheSandbox() {
        client.pods().resource(pod("lone", Map.of("sandbox.modelops.dev/duration", "1h"))).create();
        client.batch().v1().jobs().resource(job("train", Map.of("sandbox.modelops.dev/duration", "1h")).build()).create();

        assertTrue(running("lone").getMetadata().getFinalizers().isEmpty());
        assertEquals(List.of("batch.kubernetes.io/job-tracking"), runningPodOf("train").getMetadata().getFinalizers());
    }

    private List<String> reasons(String name) {
        return eventsAbout(name).stream().map(Event::getReason).toList();
    }

    private Event event(String name, String reason) {
        return eventsAbout(name).stream().filter(e -> e.getReason().equals(reason)).findFirst().orElseThrow();
    }

    private String message(String name, String reason) {
        return event(name, reason).getMessage();
    }

    private String from(String name, String reason) {
        return event(name, reason).getSource().getComponent();
    }
}
