package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.TimelineEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status a ModelJob gets from what is observed, without a cluster. */
class ModelJobStatusAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final ModelJobStatusAggregator aggregator = new ModelJobStatusAggregator();

    @Test
    void theSameObservationTwiceAddsNothingAndWritesNothing() {
        ModelJob modelJob = modelJob();
        var first = aggregator.next(seen(modelJob, Optional.of(job()), List.of(runningPod()), T0));
        assertTrue(first.changed());
        modelJob.setStatus(first.status());

        var second = aggregator.next(seen(modelJob, Optional.of(job()), List.of(runningPod()), T0.plusSeconds(30)));

        assertFalse(second.changed(), "nothing new was seen");
        assertEquals(List.of(), second.newEntries());
        assertEquals(first.status().getConditions().get(0).getLastTransitionTime(),
                second.status().getConditions().get(0).getLastTransitionTime());
    }

    @Test
    void aRunningPodMakesTheJobRunningWithItsStoryFromThePodsOwnTimes() {
        var update = aggregator.next(seen(modelJob(), Optional.of(job()), List.of(runningPod()), T0.plusSeconds(60)));

        assertEquals(JobPhase.Running, update.status().getPhase());
        assertEquals(List.of("Created", "JobCreated", "PodScheduled", "Started"),
                update.newEntries().stream().map(TimelineEntry::getReason).toList());
        assertEquals("2026-11-25T10:00:05Z", update.newEntries().get(3).getTime(), "when the container started");
        assertEquals("2026-11-25T10:00:05Z", update.status().getStartTime());
    }

    @Test
    void theTimelineIsBoundedAndKeepsItsFirstEntry() {
        Timeline timeline = new Timeline(null);
        timeline.add(ModelJobReason.Created, "created", T0);
        for (int i = 0; i < 100; i++) {
            timeline.add(ModelJobReason.PodFailed, "pod " + i + " failed", T0.plusSeconds(i));
        }
        assertEquals(Timeline.MAX_ENTRIES, timeline.entries().size());
        assertEquals("Created", timeline.entries().get(0).getReason());
        assertEquals("pod 99 failed", timeline.entries().get(Timeline.MAX_ENTRIES - 1).getMessage());
    }

    private static Observation seen(ModelJob modelJob, Optional<Job> job, List<Pod> pods, Instant now) {
        return new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")), job, pods, Optional.empty(),
                Optional.empty(), now);
    }

    private static ModelJob modelJob() {
        ModelJob modelJob = ModelJobs.modelJob("train-1", JobType.Train, "churn-v3").build();
        modelJob.getMetadata().setNamespace("default");
        modelJob.getMetadata().setGeneration(1L);
        modelJob.getMetadata().setCreationTimestamp("2026-11-25T10:00:00Z");
        return modelJob;
    }

    private static Job job() {
        return new JobBuilder().withNewMetadata().withName("train-1").endMetadata().withNewSpec().endSpec().build();
    }

    private static Pod runningPod() {
        return new PodBuilder().withNewMetadata().withName("train-1-abcde")
                .withCreationTimestamp("2026-11-25T10:00:01Z").endMetadata()
                .withNewSpec().withNodeName("node-1").endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2026-11-25T10:00:02Z").endCondition()
                .addNewContainerStatus().withName("main").withNewState().withNewRunning()
                .withStartedAt("2026-11-25T10:00:05Z").endRunning().endState().endContainerStatus()
                .endStatus().build();
    }
}
