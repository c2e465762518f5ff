package dev.modelops.modeljob;

import dev.modelops.common.PrunedItemStore;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * What the ModelJob controller caches of its Jobs and pods: metadata without annotations and managed fields, the
 * status, and of the spec only what it reads (a pod's node, a Job's suspend). The pod template, containers and
 * environment stay in the API server.
 */
final class PrunedCaches {

    private PrunedCaches() {
    }

    static Pod pod(Pod pod) {
        PodSpec spec = new PodSpec();
        spec.setNodeName(pod.getSpec() == null ? null : pod.getSpec().getNodeName());
        pod.setSpec(spec);
        pod.setMetadata(pruned(pod.getMetadata()));
        return pod;
    }

    static Job job(Job job) {
        JobSpec spec = new JobSpec();
        spec.setSuspend(job.getSpec() == null ? null : job.getSpec().getSuspend());
        job.setSpec(spec);
        job.setMetadata(pruned(job.getMetadata()));
        return job;
    }

    private static ObjectMeta pruned(ObjectMeta metadata) {
        metadata.setAnnotations(new LinkedHashMap<>());
        metadata.setManagedFields(new ArrayList<>());
        return metadata;
    }

    /** The Job informer's store; a class, because JOSDK instantiates the store an annotation names. */
    public static final class Jobs extends PrunedItemStore<Job> {
        public Jobs() {
            super(PrunedCaches::job);
        }
    }

    public static final class Pods extends PrunedItemStore<Pod> {
        public Pods() {
            super(PrunedCaches::pod);
        }
    }
}
