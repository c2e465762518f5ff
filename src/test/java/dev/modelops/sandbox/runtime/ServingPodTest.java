package dev.modelops.sandbox.runtime;

import dev.modelops.testing.SimulatedClusterTest;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pods of restartPolicy Always, such as a Deployment's: they serve until deleted and restart what exits. */
class ServingPodTest extends SimulatedClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aServingPodIsReadyOnceStartedAndRunsUntilDeleted() {
        client.pods().resource(pod("web", Map.of()).build()).create();

        await().atMost(WAIT).until(() -> ready(pod("web")));
        clock.advance(Duration.ofDays(1));

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> ready(pod("web"))
                && container(pod("web")).getRestartCount() == 0);
        assertEquals("Running", phase(pod("web")));
        String log = client.pods().withName("web").getLog();
        assertTrue(log.endsWith("serving\n"), log);

        client.pods().withName("web").delete();
        await().atMost(WAIT).until(() -> pod("web") == null);
    }

    @Test
    void aReadinessProbeMakesThePodReadyAfterItsInitialDelay() {
        Instant start = clock.now();
        client.pods().resource(pod("probed", Map.of()).editSpec().editFirstContainer().withNewReadinessProbe()
                .withInitialDelaySeconds(30).withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet()
                .endReadinessProbe().endContainer().endSpec().build()).create();
        await().atMost(WAIT).until(() -> pod("probed") != null && "Running".equals(phase(pod("probed"))));
        assertTrue(!ready(pod("probed")));

        clock.advance(Duration.ofSeconds(30));

        await().atMost(WAIT).until(() -> ready(pod("probed")));
        assertEquals(start.plusSeconds(30).toString(), condition(pod("probed"), "Ready").getLastTransitionTime());
    }

    @Test
    void aContainerThatExitsIsRestartedAtOnceThenAfterABackOff() {
        client.pods().resource(pod("flaky", Map.of("sandbox.modelops.dev/duration", "10s",
                "sandbox.modelops.dev/exit-code", "1", "sandbox.modelops.dev/log", "trying\n")).build()).create();
        await().atMost(WAIT).until(() -> ready(pod("flaky")));

        clock.advance(Duration.ofSeconds(10));

        await().atMost(WAIT).until(() -> container(pod("flaky")).getRestartCount() == 1 && ready(pod("flaky")));
        ContainerStatus restarted = container(pod("flaky"));
        assertEquals(1, restarted.getLastState().getTerminated().getExitCode());
        assertEquals("Error", restarted.getLastState().getTerminated().getReason());
        assertEquals("trying\n", client.pods().withName("flaky").terminated().getLog());

        clock.advance(Duration.ofSeconds(10));

        await().atMost(WAIT).until(() -> container(pod("flaky")).getState().getWaiting() != null);
        Pod backingOff = pod("flaky");
        assertEquals("Running", phase(backingOff));
        assertTrue(!ready(backingOff));
        assertEquals("CrashLoopBackOff", container(backingOff).getState().getWaiting().getReason());
        assertEquals("back-off 10s restarting failed container=main pod=flaky_default("
                + backingOff.getMetadata().getUid() + ")", container(backingOff).getState().getWaiting().getMessage());
        assertEquals(1, container(backingOff).getRestartCount());
        assertTrue(client.v1().events().list().getItems().stream().anyMatch(e -> "BackOff".equals(e.getReason())
                && "Warning".equals(e.getType())
                && e.getMessage().startsWith("Back-off restarting failed container main")));

        clock.advance(Duration.ofSeconds(10));

        await().atMost(WAIT).until(() -> container(pod("flaky")).getRestartCount() == 2 && ready(pod("flaky")));
        assertNull(container(pod("flaky")).getState().getWaiting());
    }

    private static PodBuilder pod(String name, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withRestartPolicy("Always")
                .addNewContainer().withName("main").withImage("server:1").endContainer().endSpec();
    }

    private Pod pod(String name) {
        return client.pods().withName(name).get();
    }

    private static ContainerStatus container(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0);
    }

    private static PodCondition condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static boolean ready(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                        && c.getStatus().equals("True"));
    }
}
