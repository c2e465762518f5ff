package dev.modelops.sandbox.runtime;

import dev.modelops.testing.SimulatedClusterTest;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JobFailureTest extends SimulatedClusterTest {

    @Test
    void aFailingPodIsRetriedUpToTheBackoffLimitThenTheJobFails() {
        create(job("flaky", Map.of("sandbox.modelops.dev/duration", "0s", "sandbox.modelops.dev/exit-code", "3"))
                .editSpec().withBackoffLimit(1).endSpec().build());

        await().atMost(Duration.ofSeconds(10)).until(() -> hasCondition("flaky", "Failed", "BackoffLimitExceeded"));
        assertEquals(2, podsOf("flaky").size());
        podsOf("flaky").forEach(pod -> {
            assertEquals("Failed", phase(pod));
            ContainerStateTerminated terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
            assertEquals(3, terminated.getExitCode());
            assertEquals("Error", terminated.getReason());
        });
        assertEquals(2, job("flaky").getStatus().getFailed());
        assertEquals("Job has reached the specified backoff limit",
                job("flaky").getStatus().getConditions().stream().filter(c -> c.getType().equals("Failed"))
                        .findFirst().orElseThrow().getMessage());
    }

    @Test
    void aJobActiveLongerThanItsDeadlineFailsAndItsPodIsStopped() {
        create(job("slow", Map.of("sandbox.modelops.dev/duration", "1h"))
                .editSpec().withActiveDeadlineSeconds(60L).endSpec().build());
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("slow").size() == 1
                && "Running".equals(phase(podsOf("slow").get(0))));

        clock.advance(Duration.ofSeconds(61));

        await().atMost(Duration.ofSeconds(10)).until(() -> hasCondition("slow", "Failed", "DeadlineExceeded"));
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("slow").isEmpty());
    }

    @Test
    void anUnreadableAnnotationFailsTheContainerWithAMessageNamingIt() {
        create(job("typo", Map.of("sandbox.modelops.dev/duration", "ten seconds")).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> hasCondition("typo", "Failed", "BackoffLimitExceeded"));
        Pod pod = podsOf("typo").get(0);
        ContainerStateTerminated terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertEquals("StartError", terminated.getReason());
        assertEquals("sandbox.modelops.dev/duration: invalid duration 'ten seconds'", terminated.getMessage());
    }

    @Test
    void suspendingAJobStopsItsPodAndResumingStartsANewOne() {
        create(job("paused", Map.of("sandbox.modelops.dev/duration", "1h")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("paused").size() == 1
                && "Running".equals(phase(podsOf("paused").get(0))));
        String first = podsOf("paused").get(0).getMetadata().getName();

        client.batch().v1().jobs().withName("paused").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"suspend\":true}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> hasCondition("paused", "Suspended", "JobSuspended")
                && podsOf("paused").isEmpty());

        client.batch().v1().jobs().withName("paused").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"suspend\":false}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("paused").size() == 1
                && !podsOf("paused").get(0).getMetadata().getName().equals(first));
    }
}
