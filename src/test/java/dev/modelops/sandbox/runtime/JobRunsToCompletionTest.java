package dev.modelops.sandbox.runtime;

import dev.modelops.testing.SimulatedClusterTest;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobRunsToCompletionTest extends SimulatedClusterTest {

    @Test
    void aJobRunsItsPodToSucceededWithTheTerminationMessageAndLogs() {
        create(job("train", Map.of(
                "sandbox.modelops.dev/duration", "30s",
                "sandbox.modelops.dev/log", "loading\nfitting\nauc=0.91\n",
                "sandbox.modelops.dev/termination-message", "{\"metrics\":{\"auc\":0.91}}")).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("train").size() == 1
                && "Running".equals(phase(podsOf("train").get(0))));
        Pod running = podsOf("train").get(0);
        assertEquals("sandbox-node", running.getSpec().getNodeName());
        assertEquals("true", running.getMetadata().getLabels().get("sandbox.modelops.dev/simulated"));
        assertTrue(running.getMetadata().getName().matches("train-[a-z0-9]{5}"), running.getMetadata().getName());
        assertEquals(1, job("train").getStatus().getActive());

        clock.advance(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(10)).until(() -> hasCondition("train", "Complete", null));
        Pod done = podsOf("train").get(0);
        assertEquals("Succeeded", phase(done));
        ContainerStateTerminated terminated = done.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertEquals(0, terminated.getExitCode());
        assertEquals("Completed", terminated.getReason());
        assertEquals("{\"metrics\":{\"auc\":0.91}}", terminated.getMessage());
        assertEquals("loading\nfitting\nauc=0.91\n", client.pods().withName(done.getMetadata().getName()).getLog());
        assertEquals(1, job("train").getStatus().getSucceeded());
        assertTrue(hasCondition("train", "SuccessCriteriaMet", "CompletionsReached"));
    }

    @Test
    void logsAppearAsTheContainerRuns() {
        create(job("epochs", Map.of("sandbox.modelops.dev/duration", "40s",
                "sandbox.modelops.dev/log", "epoch 1\nepoch 2\nepoch 3\nepoch 4\n")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("epochs").size() == 1
                && "Running".equals(phase(podsOf("epochs").get(0))));
        String pod = podsOf("epochs").get(0).getMetadata().getName();

        // of four lines over 40 s, one is printed every 10 s from the start (at 0, 10, 20 and 30 s)
        clock.advance(Duration.ofSeconds(15));

        assertEquals("epoch 1\nepoch 2\n", client.pods().withName(pod).getLog());
    }

    @Test
    void aPendingAnnotationKeepsThePodPendingUntilItsTime() {
        create(job("queued", Map.of("sandbox.modelops.dev/pending", "1m", "sandbox.modelops.dev/duration", "1s")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("queued").size() == 1
                && "Pending".equals(phase(podsOf("queued").get(0))));
        assertEquals("ContainerCreating", podsOf("queued").get(0).getStatus().getContainerStatuses().get(0).getState()
                .getWaiting().getReason());

        clock.advance(Duration.ofMinutes(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(phase(podsOf("queued").get(0))));
    }

    @Test
    void anImagePullErrorStaysPendingWithImagePullBackOff() {
        create(job("unpullable", Map.of("sandbox.modelops.dev/image-pull-error", "true")).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("unpullable").size() == 1
                && podsOf("unpullable").get(0).getStatus() != null
                && podsOf("unpullable").get(0).getStatus().getContainerStatuses() != null);
        clock.advance(Duration.ofHours(1));
        Pod pod = podsOf("unpullable").get(0);
        assertEquals("Pending", phase(pod));
        assertEquals("ImagePullBackOff", pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason());
    }

    @Test
    void aRestartOfTheRuntimeInTheMiddleOfAJobCreatesNoSecondPod() {
        create(job("long", Map.of("sandbox.modelops.dev/duration", "10m")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("long").size() == 1
                && "Running".equals(phase(podsOf("long").get(0))));

        cluster.close();
        cluster = startRuntime();
        clock.advance(Duration.ofMinutes(10));

        await().atMost(Duration.ofSeconds(10)).until(() -> hasCondition("long", "Complete", null));
        List<Pod> pods = podsOf("long");
        assertEquals(1, pods.size(), "pods: " + pods.stream().map(p -> p.getMetadata().getName()).toList());
    }
}
