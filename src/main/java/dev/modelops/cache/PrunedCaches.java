package dev.modelops.cache;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.common.Labels;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the ModelJob controller caches of what it watches: a copy with only the fields it reads, like client-go's
 * transform functions. The operator caches a ModelJob, a Job and a pod for every job it has run, so this is where its
 * memory goes; the README's Benchmark section has the measurements. The controller reads Jobs and pods only through
 * its {@code BatchJobs} and {@code Pods} readers, and a test in its package computes every status from whole and from
 * pruned objects and fails when the two differ.
 * <p>
 * A ModelJob that has ended is reconciled only to acknowledge a new generation, so its copy keeps what identifies it,
 * its phase and its observed generation. A ModelJob that is still going is cached whole: its status is the base of
 * the next one.
 */
public final class PrunedCaches {

    /** The one pod condition the operator reads. */
    public static final String POD_SCHEDULED = "PodScheduled";
    private static final List<String> POD_CONDITIONS_READ = List.of(POD_SCHEDULED);
    private static final List<String> LABELS_READ = List.of(Labels.MODEL_JOB, Labels.JOB_NAME);

    private PrunedCaches() {
    }

    public static Pod pod(Pod pod) {
        return EmptyCollections.shared(podCopy(pod));
    }

    public static Job job(Job job) {
        return EmptyCollections.shared(jobCopy(job));
    }

    /** The pruned copy, before its empty collections are shared. */
    public static Pod podCopy(Pod pod) {
        Pod kept = new Pod();
        kept.setMetadata(identity(pod.getMetadata()));
        PodSpec spec = new PodSpec();
        spec.setNodeName(pod.getSpec() == null ? null : pod.getSpec().getNodeName());
        kept.setSpec(spec);
        if (pod.getStatus() != null) {
            PodStatus status = new PodStatus();
            status.setPhase(shared(pod.getStatus().getPhase()));
            status.setConditions(each(pod.getStatus().getConditions())
                    .filter(c -> POD_CONDITIONS_READ.contains(c.getType())).map(PrunedCaches::condition).toList());
            status.setContainerStatuses(each(pod.getStatus().getContainerStatuses())
                    .filter(c -> PodTemplates.CONTAINER.equals(c.getName())).map(PrunedCaches::container).toList());
            kept.setStatus(status);
        }
        return kept;
    }

    /** The pruned copy, before its empty collections are shared. */
    public static Job jobCopy(Job job) {
        Job kept = new Job();
        kept.setMetadata(identity(job.getMetadata()));
        JobSpec spec = new JobSpec();
        spec.setSuspend(job.getSpec() == null ? null : job.getSpec().getSuspend());
        kept.setSpec(spec);
        if (job.getStatus() != null) {
            JobStatus status = new JobStatus();
            status.setSucceeded(job.getStatus().getSucceeded());
            status.setFailed(job.getStatus().getFailed());
            status.setActive(job.getStatus().getActive());
            status.setConditions(each(job.getStatus().getConditions()).map(PrunedCaches::condition).toList());
            kept.setStatus(status);
        }
        return kept;
    }

    public static ModelJob modelJob(ModelJob modelJob) {
        if (!JobLifecycle.ended(modelJob)) {
            return modelJob;
        }
        ModelJob kept = modelJobCopy(modelJob);
        EmptyCollections.shared(kept.getMetadata());
        return kept;
    }

    /** The pruned copy of an ended ModelJob, before its empty collections are shared. */
    public static ModelJob modelJobCopy(ModelJob modelJob) {
        ModelJob kept = new ModelJob();
        kept.setMetadata(identity(modelJob.getMetadata()));
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(modelJob.getSpec().getType());
        spec.setModelVersion(shared(modelJob.getSpec().getModelVersion()));
        spec.setStop(modelJob.getSpec().getStop());
        kept.setSpec(spec);
        ModelJobStatus status = new ModelJobStatus();
        status.setPhase(modelJob.getStatus().getPhase());
        status.setObservedGeneration(modelJob.getStatus().getObservedGeneration());
        kept.setStatus(status);
        return kept;
    }

    /**
     * What the ModelVersion controller reads of a ModelJob, its step in the version's history: identity, type,
     * version, reason and deadline, and the outcome (phase, message, result). Not its timeline, pods, conditions,
     * logs or template, which are most of a ModelJob.
     */
    public static ModelJob step(ModelJob modelJob) {
        ModelJob kept = new ModelJob();
        kept.setMetadata(identity(modelJob.getMetadata()));
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(modelJob.getSpec().getType());
        spec.setModelVersion(shared(modelJob.getSpec().getModelVersion()));
        spec.setReason(modelJob.getSpec().getReason());
        spec.setStop(modelJob.getSpec().getStop());
        spec.setActiveDeadlineSeconds(modelJob.getSpec().getActiveDeadlineSeconds());
        kept.setSpec(spec);
        if (modelJob.getStatus() != null) {
            ModelJobStatus status = new ModelJobStatus();
            status.setPhase(modelJob.getStatus().getPhase());
            status.setMessage(modelJob.getStatus().getMessage());
            status.setResult(modelJob.getStatus().getResult());
            status.setCompletionTime(modelJob.getStatus().getCompletionTime());
            kept.setStatus(status);
        }
        EmptyCollections.shared(kept.getMetadata());
        return kept;
    }

    /** Name, namespace, versions, owners and the labels that map an object to its ModelJob. */
    private static ObjectMeta identity(ObjectMeta metadata) {
        ObjectMeta kept = new ObjectMeta();
        kept.setName(metadata.getName());
        kept.setNamespace(shared(metadata.getNamespace()));
        kept.setUid(metadata.getUid());
        kept.setResourceVersion(metadata.getResourceVersion());
        kept.setGeneration(metadata.getGeneration());
        kept.setCreationTimestamp(metadata.getCreationTimestamp());
        kept.setDeletionTimestamp(metadata.getDeletionTimestamp());
        kept.setFinalizers(metadata.getFinalizers());
        kept.setOwnerReferences(each(metadata.getOwnerReferences()).map(PrunedCaches::owner).toList());
        Map<String, String> labels = new LinkedHashMap<>();
        LABELS_READ.forEach(label -> {
            if (metadata.getLabels() != null && metadata.getLabels().containsKey(label)) {
                labels.put(label, metadata.getLabels().get(label));
            }
        });
        kept.setLabels(labels);
        return kept;
    }

    private static <T> Stream<T> each(List<T> list) {
        return list == null ? Stream.empty() : list.stream();
    }

    private static OwnerReference owner(OwnerReference owner) {
        OwnerReference kept = new OwnerReference();
        kept.setApiVersion(shared(owner.getApiVersion()));
        kept.setKind(shared(owner.getKind()));
        kept.setName(owner.getName());
        kept.setUid(owner.getUid());
        kept.setController(owner.getController());
        kept.setBlockOwnerDeletion(owner.getBlockOwnerDeletion());
        return kept;
    }

    private static PodCondition condition(PodCondition condition) {
        PodCondition kept = new PodCondition();
        kept.setType(shared(condition.getType()));
        kept.setStatus(shared(condition.getStatus()));
        kept.setReason(shared(condition.getReason()));
        kept.setMessage(condition.getMessage());
        kept.setLastTransitionTime(condition.getLastTransitionTime());
        return kept;
    }

    private static JobCondition condition(JobCondition condition) {
        JobCondition kept = new JobCondition();
        kept.setType(shared(condition.getType()));
        kept.setStatus(shared(condition.getStatus()));
        kept.setReason(shared(condition.getReason()));
        kept.setMessage(shared(condition.getMessage()));
        kept.setLastTransitionTime(condition.getLastTransitionTime());
        return kept;
    }

    private static ContainerStatus container(ContainerStatus container) {
        ContainerStatus kept = new ContainerStatus();
        kept.setName(shared(container.getName()));
        ContainerState state = container.getState();
        if (state != null) {
            kept.setState(new ContainerState(running(state.getRunning()), terminated(state.getTerminated()),
                    waiting(state.getWaiting())));
        }
        return kept;
    }

    private static ContainerStateRunning running(ContainerStateRunning running) {
        return running == null ? null : new ContainerStateRunning(running.getStartedAt());
    }

    private static ContainerStateTerminated terminated(ContainerStateTerminated terminated) {
        if (terminated == null) {
            return null;
        }
        ContainerStateTerminated kept = new ContainerStateTerminated();
        kept.setExitCode(terminated.getExitCode());
        kept.setReason(shared(terminated.getReason()));
        kept.setMessage(terminated.getMessage());
        kept.setStartedAt(terminated.getStartedAt());
        kept.setFinishedAt(terminated.getFinishedAt());
        return kept;
    }

    private static ContainerStateWaiting waiting(ContainerStateWaiting waiting) {
        return waiting == null ? null : new ContainerStateWaiting(waiting.getMessage(), shared(waiting.getReason()));
    }

    /**
     * One copy of a value that many cached objects hold (a namespace, a condition type, a reason). Only for values
     * from a small set: the JVM keeps a table entry for each.
     */
    private static String shared(String value) {
        return value == null ? null : value.intern();
    }

    /** The ModelJob informer's store; a class, because JOSDK instantiates the store an annotation names. */
    public static final class ModelJobStore extends PrunedItemStore<ModelJob> {
        public ModelJobStore() {
            super(PrunedCaches::modelJob);
        }
    }

    /** The ModelVersion controller's store of ModelJobs: each one's step. */
    public static final class StepStore extends PrunedItemStore<ModelJob> {
        public StepStore() {
            super(PrunedCaches::step);
        }
    }

    public static final class JobStore extends PrunedItemStore<Job> {
        public JobStore() {
            super(PrunedCaches::job);
        }
    }

    public static final class PodStore extends PrunedItemStore<Pod> {
        public PodStore() {
            super(PrunedCaches::pod);
        }
    }
}
