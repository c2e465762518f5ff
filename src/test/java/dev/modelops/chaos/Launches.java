package dev.modelops.chaos;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every batch Job and pod that was ever created in the run's namespace, as a watch sees them, whether or not they
 * are still there at the end: the Jobs each owner got (a second one is a step run twice) and the pods of each Job
 * that started (a second one is a container run twice).
 */
final class Launches implements AutoCloseable {

    private final Map<String, Set<String>> jobsByOwner = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> jobsByName = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> startedPodsByJob = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<Pod> pods;

    Launches(KubernetesClient client) {
        this.jobs = client.batch().v1().jobs().inNamespace(ChaosCluster.NAMESPACE).inform(seen(this::job), 0);
        this.pods = client.pods().inNamespace(ChaosCluster.NAMESPACE).inform(seen(this::pod), 0);
    }

    private void job(Job job) {
        String uid = job.getMetadata().getUid();
        jobsByName.computeIfAbsent(job.getMetadata().getName(), name -> ConcurrentHashMap.newKeySet()).add(uid);
        controller(job).ifPresent(owner -> jobsByOwner.computeIfAbsent(owner.getUid(),
                key -> ConcurrentHashMap.newKeySet()).add(uid));
    }

    private void pod(Pod pod) {
        boolean started = pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(status -> status.getState() != null
                        && (status.getState().getRunning() != null || status.getState().getTerminated() != null
                                && status.getState().getTerminated().getStartedAt() != null));
        if (started) {
            controller(pod).filter(owner -> "Job".equals(owner.getKind())).ifPresent(owner -> startedPodsByJob
                    .computeIfAbsent(owner.getUid(), key -> ConcurrentHashMap.newKeySet())
                    .add(pod.getMetadata().getName()));
        }
    }

    /** The uids of the Jobs whose controller was this object. */
    Set<String> jobsOf(String ownerUid) {
        return jobsByOwner.getOrDefault(ownerUid, Set.of());
    }

    /** The uids of the Jobs created under this name. */
    Set<String> jobsNamed(String name) {
        return jobsByName.getOrDefault(name, Set.of());
    }

    /** The names of the pods of this Job whose container started. */
    Set<String> startedPodsOf(String jobUid) {
        return startedPodsByJob.getOrDefault(jobUid, Set.of());
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        return object.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : object.getMetadata().getOwnerReferences().stream()
                        .filter(owner -> Boolean.TRUE.equals(owner.getController())).findFirst();
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> seen(java.util.function.Consumer<T> record) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                record.accept(object);
            }

            @Override
            public void onUpdate(T before, T object) {
                record.accept(object);
            }

            @Override
            public void onDelete(T object, boolean unknownFinalState) {
                record.accept(object);
            }
        };
    }

    @Override
    public void close() {
        jobs.stop();
        pods.stop();
    }
}
