package dev.modelops.sandbox.runtime;

import dev.modelops.common.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps {@code spec.replicas} pods of the ReplicaSet's template,
 * controlled by it and named by the API server from {@code <replicaset>-} (generateName); deletes the extra ones,
 * those not ready first, then the newest; writes the status that the Deployment controller reads ({@code replicas},
 * {@code fullyLabeledReplicas}, {@code readyReplicas}, {@code availableReplicas} ready for {@code minReadySeconds},
 * {@code observedGeneration}). A ReplicaSet being deleted gets no new pod. Pods that match its selector but have no
 * controller are not adopted.
 */
final class ReplicaSetController {

    /** Which extra pods go first (the ranking of pkg/controller/controller_utils.go, in short). */
    private static final Comparator<Pod> DELETION_ORDER = Comparator.comparing(ReplicaSetController::ready)
            .thenComparing(pod -> "Running".equals(phase(pod)))
            .thenComparing((Pod pod) -> pod.getMetadata().getCreationTimestamp(),
                    Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(pod -> pod.getMetadata().getName(), Comparator.reverseOrder());

    private final KubernetesClient client;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final SandboxClock clock;
    private final Timers timers;
    private final EventRecorder events;
    private final String byReplicaSet;
    /** Pods created but not yet seen by the informer, per ReplicaSet uid, so that a quick second pass adds no more. */
    private final Map<String, Set<String>> creating = new ConcurrentHashMap<>();
    /** Pods deleted that the informer still shows active, per ReplicaSet uid, so that no other goes in their place. */
    private final Map<String, Set<String>> deleting = new ConcurrentHashMap<>();
    private WorkQueue queue;

    ReplicaSetController(KubernetesClient client, SharedIndexInformer<ReplicaSet> replicaSets,
            SharedIndexInformer<Pod> pods, SandboxClock clock, Timers timers) {
        this.client = client;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.clock = clock;
        this.timers = timers;
        this.events = new EventRecorder(client, "replicaset-controller");
        this.byReplicaSet = Owners.indexByController(pods, "ReplicaSet");
    }

    void start(int workers) {
        queue = new WorkQueue("replicaset-controller", workers, this::sync);
        replicaSets.addEventHandler(Informers.onChange(queue::add));
        pods.addEventHandler(Informers.<Pod>onChange(queue::add, pod -> Owners.controllerKey(pod, "ReplicaSet")));
    }

    private void sync(String key) {
        ReplicaSet rs = replicaSets.getStore().getByKey(key);
        if (rs == null) {
            return;
        }
        String uid = rs.getMetadata().getUid();
        Instant now = clock.now();
        List<Pod> owned = pods.getIndexer().byIndex(byReplicaSet, uid);
        Set<String> created = creating.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet());
        owned.forEach(pod -> created.remove(pod.getMetadata().getName()));
        List<Pod> active = owned.stream().filter(ReplicaSetController::active).toList();
        Set<String> deleted = deleting.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet());
        deleted.retainAll(active.stream().map(pod -> pod.getMetadata().getUid()).collect(Collectors.toSet()));
        List<Pod> staying = active.stream().filter(pod -> !deleted.contains(pod.getMetadata().getUid())).toList();
        int extra = staying.size() + created.size() - Objects.requireNonNullElse(rs.getSpec().getReplicas(), 1);
        if (extra < 0 && rs.getMetadata().getDeletionTimestamp() == null) {
            for (int i = 0; i < -extra; i++) {
                create(rs, created, now);
            }
        } else if (extra > 0) {
            staying.stream().sorted(DELETION_ORDER).limit(extra).forEach(pod -> delete(rs, pod, deleted, now));
        }
        writeStatus(rs, active, now);
        // a ReplicaSet whose creations and deletions have all been seen leaves nothing behind
        creating.computeIfPresent(uid, (u, names) -> names.isEmpty() ? null : names);
        deleting.computeIfPresent(uid, (u, uids) -> uids.isEmpty() ? null : uids);
    }

    private void create(ReplicaSet rs, Set<String> created, Instant now) {
        ObjectMeta template = Objects.requireNonNullElseGet(rs.getSpec().getTemplate().getMetadata(), ObjectMeta::new);
        Pod pod = new PodBuilder()
                .withNewMetadata().withGenerateName(rs.getMetadata().getName() + "-")
                .withNamespace(rs.getMetadata().getNamespace()).withLabels(template.getLabels())
                .withAnnotations(template.getAnnotations()).withFinalizers(template.getFinalizers())
                .withOwnerReferences(JobController.controllerReference(rs)).endMetadata()
                .withSpec(rs.getSpec().getTemplate().getSpec())
                .build();
        try {
            Pod made = client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
            created.add(made.getMetadata().getName());
            events.record(rs, ClusterReason.SuccessfulCreate, "Created pod: " + made.getMetadata().getName(), now);
        } catch (KubernetesClientException e) {
            events.record(rs, ClusterReason.FailedCreate, "Error creating: " + (e.getStatus() != null
                    && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()), now);
            throw e;
        }
    }

    private void delete(ReplicaSet rs, Pod pod, Set<String> deleted, Instant now) {
        deleted.add(pod.getMetadata().getUid());
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                deleted.remove(pod.getMetadata().getUid());
                throw e;
            }
        }
        events.record(rs, ClusterReason.SuccessfulDelete, "Deleted pod: " + pod.getMetadata().getName(), now);
    }

    /** The status as pkg/controller/replicaset/replica_set_utils.go calculates it, from the active pods seen. */
    private void writeStatus(ReplicaSet rs, List<Pod> active, Instant now) {
        Map<String, String> templateLabels = Objects.requireNonNullElse(rs.getSpec().getTemplate().getMetadata() == null
                ? null : rs.getSpec().getTemplate().getMetadata().getLabels(), Map.of());
        int minReadySeconds = Objects.requireNonNullElse(rs.getSpec().getMinReadySeconds(), 0);
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod pod : active) {
            Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
            if (labels.entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            Optional<Instant> readySince = readySince(pod);
            if (readySince.isPresent()) {
                ready++;
                // available once ready for longer than minReadySeconds (podutil.IsPodAvailable)
                Instant availableAfter = readySince.get().plusSeconds(minReadySeconds);
                if (minReadySeconds == 0 || availableAfter.isBefore(now)) {
                    available++;
                } else {
                    timers.at(availableAfter.plusMillis(1), Cache.metaNamespaceKeyFunc(rs), queue::add);
                }
            }
        }
        ReplicaSetStatus current = Objects.requireNonNullElseGet(rs.getStatus(), ReplicaSetStatus::new);
        ReplicaSetStatus next = Serialization.clone(current);
        next.setReplicas(active.size());
        next.setFullyLabeledReplicas(StatusPatches.omittedIfZero(fullyLabeled));
        next.setReadyReplicas(StatusPatches.omittedIfZero(ready));
        next.setAvailableReplicas(StatusPatches.omittedIfZero(available));
        next.setObservedGeneration(rs.getMetadata().getGeneration());
        if (!Serialization.asJson(next).equals(Serialization.asJson(current))) {
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).subresource("status").patch(StatusPatches.MERGE, StatusPatches.replacing(current, next));
        }
    }

    private static boolean active(Pod pod) {
        String phase = phase(pod);
        return pod.getMetadata().getDeletionTimestamp() == null && !"Succeeded".equals(phase)
                && !"Failed".equals(phase);
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static boolean ready(Pod pod) {
        return readySince(pod).isPresent();
    }

    /** When the pod became Ready, if it is. */
    static Optional<Instant> readySince(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())).findFirst()
                .map(PodCondition::getLastTransitionTime).map(at -> at == null ? Instant.EPOCH : Instant.parse(at));
    }

    void close() {
        if (queue != null) {
            queue.close();
        }
    }
}
