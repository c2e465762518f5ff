package dev.modelops.modeljob;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cached copy of a pod or Job keeps what the reconciler reads and drops the rest. */
class PrunedCachesTest {

    @Test
    void aCachedPodKeepsItsIdentityOwnerNodeAndStatusButNotItsContainersOrAnnotations() {
        Pod pod = new PodBuilder().withNewMetadata().withName("eval-1-x7k2p").withNamespace("ml").withUid("u-1")
                .withResourceVersion("42").withCreationTimestamp("2026-11-25T10:00:00Z")
                .addToLabels("modelops.dev/model-job", "eval-1")
                .addToAnnotations("sandbox.modelops.dev/log", "a long log")
                .addNewOwnerReference().withKind("Job").withName("eval-1").withUid("j-1").endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("main").withImage("eval:1")
                .addNewEnv().withName("MODELOPS_MODEL").withValue("churn").endEnv().endContainer().endSpec()
                .withNewStatus().withPhase("Succeeded").addNewContainerStatus().withName("main").withNewState()
                .withNewTerminated().withExitCode(0).withMessage("{}").endTerminated().endState()
                .endContainerStatus().endStatus()
                .build();

        Pod cached = PrunedCaches.pod(pod);

        assertEquals("eval-1-x7k2p", cached.getMetadata().getName());
        assertEquals("42", cached.getMetadata().getResourceVersion());
        assertEquals("2026-11-25T10:00:00Z", cached.getMetadata().getCreationTimestamp());
        assertEquals(Map.of("modelops.dev/model-job", "eval-1"), cached.getMetadata().getLabels());
        assertEquals("j-1", cached.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("node-a", Pods.node(cached));
        assertEquals("{}", Pods.terminated(cached).orElseThrow().getMessage());
        assertTrue(cached.getSpec().getContainers().isEmpty());
        assertTrue(cached.getMetadata().getAnnotations().isEmpty());
    }

    @Test
    void aCachedJobKeepsSuspendAndConditionsButNotItsPodTemplate() {
        Job job = new JobBuilder().withNewMetadata().withName("eval-1").addToLabels("modelops.dev/model-job", "eval-1")
                .endMetadata()
                .withNewSpec().withSuspend(true).withBackoffLimit(0).withNewTemplate().withNewSpec().addNewContainer()
                .withName("main").withImage("eval:1").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus()
                .build();

        Job cached = PrunedCaches.job(job);

        assertTrue(BatchJobs.suspended(cached));
        assertTrue(BatchJobs.succeeded(cached));
        assertNull(cached.getSpec().getTemplate());
        assertEquals(List.of(), cached.getMetadata().getManagedFields());
    }
}
