package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.common.Owners;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builders of the objects a ModelJob's status is computed from, at times relative to {@link #T0}. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private Fixtures() {
    }

    static String at(int seconds) {
        return T0.plusSeconds(seconds).toString();
    }

    static ModelJob modelJob(String name, JobType type) {
        ModelJob modelJob = new ModelJob();
        modelJob.getMetadata().setName(name);
        modelJob.getMetadata().setNamespace("default");
        modelJob.getMetadata().setUid(UUID.nameUUIDFromBytes(name.getBytes()).toString());
        modelJob.getMetadata().setGeneration(1L);
        modelJob.getMetadata().setCreationTimestamp(at(0));
        modelJob.setSpec(new ModelJobSpec());
        modelJob.getSpec().setType(type);
        modelJob.getSpec().setModelVersion("churn-v3");
        return modelJob;
    }

    static JobFixture job(ModelJob owner) {
        return new JobFixture(owner);
    }

    static PodFixture pod(String name, Job owner) {
        return new PodFixture(name, owner);
    }

    static final class JobFixture {
        private final JobBuilder job;

        JobFixture(ModelJob owner) {
            job = new JobBuilder().withNewMetadata().withName(owner.getMetadata().getName())
                    .withNamespace("default").withUid("job-" + owner.getMetadata().getUid())
                    .withCreationTimestamp(at(1)).withOwnerReferences(Owners.controller(owner))
                    .addToLabels("modelops.dev/model-job", owner.getMetadata().getName()).endMetadata()
                    .withNewSpec().withSuspend(false).endSpec().withNewStatus().endStatus();
        }

        JobFixture active(int pods) {
            job.editStatus().withActive(pods).endStatus();
            return this;
        }

        JobFixture complete(int at) {
            return condition("Complete", "CompletionsReached", null, at).counts(1, 0);
        }

        JobFixture failed(String reason, String message, int at, int failedPods) {
            return condition("Failed", reason, message, at).counts(0, failedPods);
        }

        JobFixture failureTarget(String reason, int at) {
            return condition("FailureTarget", reason, null, at);
        }

        JobFixture counts(int succeeded, int failed) {
            job.editStatus().withSucceeded(succeeded).withFailed(failed).endStatus();
            return this;
        }

        JobFixture suspended() {
            job.editSpec().withSuspend(true).endSpec();
            return this;
        }

        private JobFixture condition(String type, String reason, String message, int at) {
            job.editStatus().addToConditions(new JobConditionBuilder().withType(type).withStatus("True")
                    .withReason(reason).withMessage(message).withLastTransitionTime(at(at)).build()).endStatus();
            return this;
        }

        Job build() {
            return job.build();
        }
    }

    static final class PodFixture {
        private final PodBuilder pod;
        private final List<PodCondition> conditions = new ArrayList<>();

        PodFixture(String name, Job owner) {
            pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("pod-" + name)
                    .withCreationTimestamp(at(2)).addToLabels("modelops.dev/model-job",
                            owner.getMetadata().getLabels().get("modelops.dev/model-job"))
                    .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
                    .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                    .withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withNodeName("node-1").endSpec()
                    .withNewStatus().withPhase("Pending").endStatus();
        }

        PodFixture created(int at) {
            pod.editMetadata().withCreationTimestamp(at(at)).endMetadata();
            return this;
        }

        PodFixture scheduled(int at) {
            conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("True")
                    .withLastTransitionTime(at(at)).build());
            return this;
        }

        PodFixture unschedulable(String message) {
            conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                    .withReason("Unschedulable").withMessage(message).withLastTransitionTime(at(2)).build());
            return this;
        }

        PodFixture running(int since) {
            return state("Running", new ContainerStateBuilder().withNewRunning().withStartedAt(at(since)).endRunning()
                    .build());
        }

        PodFixture waiting(String reason, String message) {
            return state("Pending", new ContainerStateBuilder().withNewWaiting().withReason(reason)
                    .withMessage(message).endWaiting().build());
        }

        PodFixture succeeded(String terminationMessage, int started, int finished) {
            return state("Succeeded", new ContainerStateBuilder().withNewTerminated().withExitCode(0)
                    .withReason("Completed").withMessage(terminationMessage).withStartedAt(at(started))
                    .withFinishedAt(at(finished)).endTerminated().build());
        }

        PodFixture failed(int exitCode, String reason, int started, int finished) {
            return state("Failed", new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                    .withReason(reason).withStartedAt(at(started)).withFinishedAt(at(finished)).endTerminated()
                    .build());
        }

        private PodFixture state(String phase, io.fabric8.kubernetes.api.model.ContainerState state) {
            pod.editStatus().withPhase(phase).withContainerStatuses(List.of()).addNewContainerStatus().withName("main")
                    .withState(state).endContainerStatus().endStatus();
            return this;
        }

        Pod build() {
            Pod built = pod.build();
            built.getStatus().setConditions(conditions);
            return built;
        }
    }
}
