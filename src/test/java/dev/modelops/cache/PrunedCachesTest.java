package dev.modelops.cache;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobResult;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.TimelineEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cached copy of a pod, a Job or an ended ModelJob keeps what the reconciler reads and drops the rest. */
class PrunedCachesTest {

    @Test
    void aCachedPodKeepsItsIdentityOwnerNodeAndStatusButNotItsContainersOrAnnotations() {
        Pod pod = new PodBuilder().withNewMetadata().withName("eval-1-x7k2p").withNamespace("ml").withUid("u-1")
                .withResourceVersion("42").withCreationTimestamp("2026-11-25T10:00:00Z")
                .addToLabels("modelops.dev/model-job", "eval-1").addToLabels("job-name", "eval-1")
                .addToAnnotations("sandbox.modelops.dev/log", "a long log")
                .addNewOwnerReference().withKind("Job").withName("eval-1").withUid("j-1").endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("main").withImage("eval:1")
                .addNewEnv().withName("MODELOPS_MODEL").withValue("churn").endEnv().endContainer().endSpec()
                .withNewStatus().withPhase("Succeeded").withPodIP("10.0.0.7")
                .addNewCondition().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2026-11-25T10:00:01Z").endCondition()
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addNewContainerStatus().withName("main").withImage("eval:1").withNewState()
                .withNewTerminated().withExitCode(0).withMessage("{}").endTerminated().endState()
                .endContainerStatus()
                .addNewContainerStatus().withName("istio-proxy").withImage("proxy:1").endContainerStatus()
                .endStatus()
                .build();

        Pod cached = PrunedCaches.pod(pod);

        assertEquals("eval-1-x7k2p", cached.getMetadata().getName());
        assertEquals("42", cached.getMetadata().getResourceVersion());
        assertEquals("2026-11-25T10:00:00Z", cached.getMetadata().getCreationTimestamp());
        assertEquals(Map.of("modelops.dev/model-job", "eval-1", "job-name", "eval-1"), cached.getMetadata().getLabels(),
                "the labels that map a pod to its ModelJob (job-name: for the runs of a CronJob)");
        assertEquals("j-1", cached.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("node-a", cached.getSpec().getNodeName());
        assertEquals("{}", cached.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage());
        assertEquals("2026-11-25T10:00:01Z", cached.getStatus().getConditions().get(0).getLastTransitionTime());
        assertEquals("Succeeded", cached.getStatus().getPhase());
        assertTrue(cached.getSpec().getContainers().isEmpty());
        assertTrue(cached.getMetadata().getAnnotations().isEmpty());
        assertEquals(List.of("PodScheduled"), cached.getStatus().getConditions().stream().map(c -> c.getType()).toList());
        assertEquals(1, cached.getStatus().getContainerStatuses().size(), "only the job's container");
        assertNull(cached.getStatus().getContainerStatuses().get(0).getImage());
        assertNull(cached.getStatus().getPodIP());
    }

    @Test
    void aPodWithoutStatusIsCachedWithoutOne() {
        Pod cached = PrunedCaches.pod(new PodBuilder().withNewMetadata().withName("p").endMetadata().build());

        assertNull(cached.getStatus());
    }

    @Test
    void aCachedJobKeepsSuspendAndConditionsButNotItsPodTemplate() {
        Job job = new JobBuilder().withNewMetadata().withName("eval-1").addToLabels("modelops.dev/model-job", "eval-1")
                .endMetadata()
                .withNewSpec().withSuspend(true).withBackoffLimit(0).withNewTemplate().withNewSpec().addNewContainer()
                .withName("main").withImage("eval:1").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withSucceeded(1).addNewCondition().withType("Complete").withStatus("True")
                .withLastTransitionTime("2026-11-25T10:00:05Z").endCondition().endStatus()
                .build();

        Job cached = PrunedCaches.job(job);

        assertTrue(cached.getSpec().getSuspend());
        assertEquals("Complete", cached.getStatus().getConditions().get(0).getType());
        assertEquals(1, cached.getStatus().getSucceeded());
        assertEquals("2026-11-25T10:00:05Z", cached.getStatus().getConditions().get(0).getLastTransitionTime());
        assertNull(cached.getSpec().getTemplate());
        assertEquals(List.of(), cached.getMetadata().getManagedFields());
    }

    @Test
    void anEndedModelJobIsCachedAsItsIdentityModelVersionAndPhase() {
        ModelJob ended = modelJob(JobPhase.Succeeded);

        ModelJob cached = PrunedCaches.modelJob(ended);

        assertEquals("eval-1", cached.getMetadata().getName());
        assertEquals("ml", cached.getMetadata().getNamespace());
        assertEquals("7", cached.getMetadata().getResourceVersion());
        assertEquals(2L, cached.getMetadata().getGeneration());
        assertEquals("churn-v3", cached.getSpec().getModelVersion());
        assertEquals(JobType.Evaluate, cached.getSpec().getType());
        assertEquals(JobPhase.Succeeded, cached.getStatus().getPhase());
        assertEquals(1L, cached.getStatus().getObservedGeneration(), "to tell a new generation");
        assertNull(cached.getSpec().getTemplate());
        assertNull(cached.getStatus().getTimeline());
        assertNull(cached.getStatus().getResult());
        assertTrue(cached.getMetadata().getAnnotations().isEmpty());
    }

    @Test
    void aModelJobStillGoingIsCachedWhole() {
        ModelJob running = modelJob(JobPhase.Running);

        assertSame(running, PrunedCaches.modelJob(running));
        ModelJob fresh = modelJob(JobPhase.Pending);
        fresh.setStatus(null);
        assertSame(fresh, PrunedCaches.modelJob(fresh), "a ModelJob without status yet");
    }

    private static ModelJob modelJob(JobPhase phase) {
        ModelJob modelJob = new ModelJob();
        modelJob.getMetadata().setName("eval-1");
        modelJob.setSpec(new ModelJobSpec());
        modelJob.getSpec().setType(JobType.Evaluate);
        modelJob.getSpec().setModelVersion("churn-v3");
        modelJob.getSpec().setTemplate(new ContainerTemplate());
        modelJob.getMetadata().setNamespace("ml");
        modelJob.getMetadata().setResourceVersion("7");
        modelJob.getMetadata().setGeneration(2L);
        modelJob.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{...}"));
        ModelJobStatus status = new ModelJobStatus();
        status.setPhase(phase);
        status.setObservedGeneration(1L);
        status.setTimeline(List.of(new TimelineEntry()));
        status.setResult(new JobResult());
        modelJob.setStatus(status);
        return modelJob;
    }
}
