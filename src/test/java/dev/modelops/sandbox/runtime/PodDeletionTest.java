package dev.modelops.sandbox.runtime;

import dev.modelops.testing.SimulatedClusterTest;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class PodDeletionTest extends SimulatedClusterTest {

    @Test
    void aDeletedRunningPodGetsSigtermAndEndsWithinItsGracePeriod() {
        ContainerStateTerminated terminated = deleteRunningPod("polite", Map.of(
                "sandbox.modelops.dev/duration", "1h", "sandbox.modelops.dev/shutdown-delay", "5s"), Duration.ofSeconds(5));
        assertEquals(143, terminated.getExitCode());
    }

    @Test
    void aContainerThatIgnoresSigtermIsKilledAtTheEndOfTheGracePeriod() {
        ContainerStateTerminated terminated = deleteRunningPod("stubborn", Map.of(
                "sandbox.modelops.dev/duration", "1h", "sandbox.modelops.dev/shutdown-delay", "5m"), Duration.ofSeconds(30));
        assertEquals(137, terminated.getExitCode());
    }

    /** Deletes the job's running pod, moves the clock, and returns the container's last state before the pod went. */
    private ContainerStateTerminated deleteRunningPod(String name, Map<String, String> annotations, Duration wait) {
        create(job(name, annotations).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf(name).size() == 1
                && "Running".equals(phase(podsOf(name).get(0))));
        Pod pod = podsOf(name).get(0);
        AtomicReference<ContainerStateTerminated> last = new AtomicReference<>();
        var watch = client.pods().withName(pod.getMetadata().getName()).watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod p) {
                var state = p.getStatus().getContainerStatuses().get(0).getState();
                if (state.getTerminated() != null) {
                    last.set(state.getTerminated());
                }
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        });
        try {
            client.pods().withName(pod.getMetadata().getName()).delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Pod current = client.pods().withName(pod.getMetadata().getName()).get();
                return current != null && current.getMetadata().getDeletionTimestamp() != null;
            });
            clock.advance(wait);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.pods().withName(pod.getMetadata().getName()).get() == null);
            await().atMost(Duration.ofSeconds(5)).until(() -> last.get() != null);
            assertNotNull(last.get());
            return last.get();
        } finally {
            watch.close();
        }
    }
}
