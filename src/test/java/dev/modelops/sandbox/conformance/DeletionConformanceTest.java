package dev.modelops.sandbox.conformance;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deletes as the API server and the garbage collector carry them out. */
class DeletionConformanceTest extends RuntimeConformanceBase {

    // docs: concepts/architecture/garbage-collection.md#orphaned-dependents; pkg/controller/garbagecollector
    // (orphanDependents): the owner goes, its dependents stay without their owner reference
    @Test
    void anOrphanDeleteKeepsTheDependentsAndRemovesTheirOwnerReference() {
        create(job("train", Map.of("sandbox.modelops.dev/duration", "1h")).build());
        String pod = runningPodOf("train").getMetadata().getName();

        client.batch().v1().jobs().withName("train").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        await().atMost(WAIT).until(() -> job("train") == null);
        await().atMost(WAIT).until(() -> client.pods().withName(pod).get().getMetadata().getOwnerReferences().isEmpty());
        Pod orphan = client.pods().withName(pod).get();
        assertEquals("Running", phase(orphan));
        await().atMost(WAIT).until(() -> client.pods().withName(pod).get().getMetadata().getFinalizers().isEmpty());
    }

    // pkg/registry/batch/job/strategy.go DefaultGarbageCollectionPolicy: a batch/v1 Job deleted with no policy
    // orphans its pods (kubectl sends Background explicitly; a plain DELETE does not)
    @Test
    void aBatchV1JobDeletedWithoutAPolicyOrphansItsPods() {
        create(job("legacy", Map.of("sandbox.modelops.dev/duration", "1h")).build());
        String pod = runningPodOf("legacy").getMetadata().getName();

        var response = send(HttpRequest.newBuilder(URI.create(server.url()
                + "/apis/batch/v1/namespaces/default/jobs/legacy")).DELETE().build());

        assertEquals(200, response.statusCode());
        await().atMost(WAIT).until(() -> job("legacy") == null);
        await().atMost(WAIT).until(() -> client.pods().withName(pod).get().getMetadata().getOwnerReferences().isEmpty());
        assertEquals("Running", phase(client.pods().withName(pod).get()));
    }

    // garbage-collection.md#background-deletion: the owner goes at once, then the collector deletes the dependents
    @Test
    void aBackgroundDeleteRemovesTheOwnerAtOnceAndThenItsDependents() {
        create(job("train", Map.of("sandbox.modelops.dev/duration", "1h")).build());
        String pod = runningPodOf("train").getMetadata().getName();

        client.batch().v1().jobs().withName("train").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();

        await().atMost(WAIT).until(() -> job("train") == null);
        await().atMost(WAIT).until(() -> client.pods().withName(pod).get() == null);
    }

    // garbage-collection.md#foreground-cascading-deletion: the owner gets a deletionTimestamp and the
    // foregroundDeletion finalizer, and goes only after its dependents with blockOwnerDeletion are gone
    @Test
    void aForegroundDeleteKeepsTheOwnerUntilItsBlockingDependentsAreGone() {
        create(job("train", Map.of("sandbox.modelops.dev/duration", "1h", "sandbox.modelops.dev/shutdown-delay", "20s"))
                .build());
        String pod = runningPodOf("train").getMetadata().getName();

        client.batch().v1().jobs().withName("train").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        await().atMost(WAIT).until(() -> client.pods().withName(pod).get().getMetadata().getDeletionTimestamp() != null);
        Job owner = job("train");
        assertNotNull(owner, "the owner went before its dependent");
        assertNotNull(owner.getMetadata().getDeletionTimestamp());
        assertTrue(owner.getMetadata().getFinalizers().contains("foregroundDeletion"));

        clock.advance(Duration.ofSeconds(20));

        await().atMost(WAIT).until(() -> client.pods().withName(pod).get() == null && job("train") == null);
    }

    // pkg/registry/core/pod/strategy.go CheckGracefulDelete and the kubelet: a running pod deleted with
    // gracePeriodSeconds keeps existing with a deletionTimestamp, its container gets SIGTERM and is killed when that
    // period (not the pod's terminationGracePeriodSeconds) ends; then the pod goes
    @Test
    void aPodDeleteHonoursItsGracePeriodSeconds() {
        create(job("stubborn", Map.of("sandbox.modelops.dev/duration", "1h", "sandbox.modelops.dev/shutdown-delay", "1h"))
                .build());
        String pod = runningPodOf("stubborn").getMetadata().getName();

        client.pods().withName(pod).withGracePeriod(10).delete();

        Pod deleting = client.pods().withName(pod).get();
        assertNotNull(deleting, "a running pod is deleted gracefully");
        assertNotNull(deleting.getMetadata().getDeletionTimestamp());
        assertEquals(10L, deleting.getMetadata().getDeletionGracePeriodSeconds());

        awaitKilling(pod);
        clock.advance(Duration.ofSeconds(10));

        await().atMost(WAIT).until(() -> {
            Pod p = client.pods().withName(pod).get();
            return p == null || "Failed".equals(phase(p));
        });
        Pod ended = client.pods().withName(pod).get();
        if (ended != null) {
            ContainerStateTerminated terminated = ended.getStatus().getContainerStatuses().get(0).getState().getTerminated();
            assertEquals(137, terminated.getExitCode(), "killed at the end of the grace period");
        }
        await().atMost(WAIT).until(() -> client.pods().withName(pod).get() == null);
    }

    // pod/strategy.go: a pod that is not bound to a node, or has ended, is deleted at once
    @Test
    void aPodOfNoControllerIsRemovedOnceItsContainerHasStopped() {
        client.pods().resource(pod("lone", Map.of("sandbox.modelops.dev/duration", "1h",
                "sandbox.modelops.dev/shutdown-delay", "5s"))).create();
        running("lone");

        client.pods().withName("lone").delete();

        assertNotNull(client.pods().withName("lone").get().getMetadata().getDeletionTimestamp());
        awaitKilling("lone");
        clock.advance(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> client.pods().withName("lone").get() == null);
    }

    /**
     * The kubelet has sent SIGTERM (its Killing Event): the grace period runs from the clock's time then, so the
     * clock moves only after it.
     */
    private void awaitKilling(String pod) {
        await().atMost(WAIT).until(() -> eventsAbout(pod).stream().anyMatch(e -> "Killing".equals(e.getReason())));
    }
}
