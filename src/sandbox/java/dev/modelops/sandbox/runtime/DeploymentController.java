package dev.modelops.sandbox.runtime;

import dev.modelops.common.EventRecorder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template, named
 * {@code <deployment>-<pod-template-hash>} ({@link PodTemplateHash}), labelled and selected by that hash and controlled
 * by the Deployment. When the template changes a new ReplicaSet takes over from the old ones: with the RollingUpdate
 * strategy as Kubernetes rolls (the new one scaled up within maxSurge, the old ones down as the new pods become
 * available, within maxUnavailable), with Recreate once every old pod is gone. The status and its conditions are
 * {@link RolloutStatus}'s, the progress deadline counted on the sandbox clock; revisions are kept in
 * {@code deployment.kubernetes.io/revision}, old ReplicaSets beyond {@code revisionHistoryLimit} are deleted once a
 * rollout completes, and each scaling is a {@code ScalingReplicaSet} Event. Not simulated: {@code paused}, the
 * proportional scaling of several ReplicaSets when the replicas change in the middle of a rollout (the new one takes
 * the change, the old ones follow as they would), adoption of ReplicaSets that have no controller, ReplicaFailure.
 */
final class DeploymentController {

    static final String POD_TEMPLATE_HASH = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    private static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    private static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    /** The Deployment's annotations that its ReplicaSets do not copy (annotationsToSkip). */
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
            "deployment.kubernetes.io/revision-history", DESIRED_REPLICAS, MAX_REPLICAS,
            "deprecated.deployment.rollback.to");
    private static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator
            .comparing((ReplicaSet rs) -> Objects.requireNonNullElse(rs.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(rs -> rs.getMetadata().getName());

    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final SandboxClock clock;
    private final Timers timers;
    private final EventRecorder events;
    private final String byDeployment;
    private final String byReplicaSet;
    private final LastWritten<Deployment> writtenDeployments = new LastWritten<>();
    private final LastWritten<ReplicaSet> writtenReplicaSets = new LastWritten<>();
    private WorkQueue queue;

    DeploymentController(KubernetesClient client, SharedIndexInformer<Deployment> deployments,
            SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods, SandboxClock clock,
            Timers timers) {
        this.client = client;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.clock = clock;
        this.timers = timers;
        this.events = new EventRecorder(client, "deployment-controller");
        this.byDeployment = Owners.indexByController(replicaSets, "Deployment");
        this.byReplicaSet = Owners.indexByController(pods, "ReplicaSet");
    }

    void start(int workers) {
        queue = new WorkQueue("deployment-controller", workers, this::sync);
        deployments.addEventHandler(Informers.onChange(queue::add));
        replicaSets.addEventHandler(Informers.<ReplicaSet>onChange(queue::add,
                rs -> Owners.controllerKey(rs, "Deployment")));
        // a Recreate rollout waits for the old pods to be gone
        pods.addEventHandler(Informers.<Pod>onChange(queue::add, this::deploymentOfTerminating));
    }

    private String deploymentOfTerminating(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() == null) {
            return null;
        }
        String owner = Owners.controllerKey(pod, "ReplicaSet");
        ReplicaSet rs = owner == null ? null : replicaSets.getStore().getByKey(owner);
        return rs == null ? null : Owners.controllerKey(rs, "Deployment");
    }

    /** syncDeployment: the rollout by the Deployment's strategy, then its status; only its status while it goes. */
    private void sync(String key) {
        Deployment cached = deployments.getStore().getByKey(key);
        if (cached == null) {
            return;
        }
        Pass pass = new Pass(writtenDeployments.newest(cached), clock.now());
        boolean deleting = pass.deployment.getMetadata().getDeletionTimestamp() != null;
        if (deleting) {
            pass.findNew(false);
        } else if (RolloutLimits.rolling(pass.deployment)) {
            pass.rollRolling();
        } else {
            pass.rollRecreate();
        }
        pass.writeStatus(!deleting, key);
    }

    /** One pass over a Deployment and its ReplicaSets, as copies that follow what the pass writes. */
    private final class Pass {

        final Deployment deployment;
        final Instant now;
        final RolloutLimits limits;
        final int replicas;
        /** The status as this pass has it: the stored one, with the conditions set on the way. */
        final DeploymentStatus status;
        final List<ReplicaSet> old = new ArrayList<>();
        ReplicaSet newRs;

        Pass(Deployment deployment, Instant now) {
            this.deployment = deployment;
            this.now = now;
            this.limits = RolloutLimits.of(deployment);
            this.replicas = RolloutLimits.replicas(deployment);
            this.status = deployment.getStatus() == null ? new DeploymentStatus()
                    : Serialization.clone(deployment.getStatus());
            String hash = hash();
            String uid = deployment.getMetadata().getUid();
            for (ReplicaSet cached : replicaSets.getIndexer().byIndex(byDeployment, uid)) {
                ReplicaSet rs = Serialization.clone(writtenReplicaSets.newest(cached));
                if (newRs == null && hash.equals(labels(rs.getMetadata()).get(POD_TEMPLATE_HASH))) {
                    newRs = rs;
                } else {
                    old.add(rs);
                }
            }
            old.sort(OLDEST_FIRST);
        }

        String hash() {
            return PodTemplateHash.of(deployment.getSpec().getTemplate(), status.getCollisionCount());
        }

        List<ReplicaSet> all() {
            List<ReplicaSet> all = new ArrayList<>(old);
            if (newRs != null) {
                all.add(newRs);
            }
            return all;
        }

        /** rolloutRolling: scale the new ReplicaSet up if it may, else the old ones down if they may. */
        void rollRolling() {
            findNew(true);
            if (newRs == null || scaleNew() || scaleDownOld()) {
                return;
            }
            cleanUpIfComplete();
        }

        /** rolloutRecreate: the old ReplicaSets to 0, and once their pods are gone the new one to the replicas. */
        void rollRecreate() {
            findNew(false);
            boolean scaledDown = false;
            for (ReplicaSet rs : old) {
                scaledDown |= scale(rs, 0);
            }
            if (scaledDown || oldPodsRunning()) {
                return;
            }
            if (newRs == null) {
                findNew(true);
            }
            if (newRs != null) {
                scale(newRs, replicas);
                cleanUpIfComplete();
            }
        }

        /** reconcileNewReplicaSet. */
        private boolean scaleNew() {
            int current = replicas(newRs);
            if (current == replicas) {
                return false;
            }
            return scale(newRs, current > replicas ? replicas : newReplicas());
        }

        /** NewRSNewReplicas: all the replicas at once for Recreate; for RollingUpdate, as many as maxSurge allows. */
        private int newReplicas() {
            if (!RolloutLimits.rolling(deployment)) {
                return replicas;
            }
            int current = newRs == null ? 0 : replicas(newRs);
            int room = replicas + limits.maxSurge() - specified(all());
            return room <= 0 ? current : current + Math.min(room, replicas - current);
        }

        /**
         * reconcileOldReplicaSets: the old ReplicaSets' unavailable pods go first (they would block the rollout), then
         * available ones as long as maxUnavailable allows.
         */
        private boolean scaleDownOld() {
            List<ReplicaSet> active = old.stream().filter(rs -> replicas(rs) > 0).toList();
            if (active.isEmpty()) {
                return false;
            }
            int minAvailable = replicas - limits.maxUnavailable();
            int newUnavailable = replicas(newRs) - available(newRs);
            int maxScaledDown = specified(all()) - minAvailable - newUnavailable;
            if (maxScaledDown <= 0) {
                return false;
            }
            int cleaned = 0;
            for (ReplicaSet rs : active) {
                int unhealthy = replicas(rs) - available(rs);
                if (cleaned >= maxScaledDown || unhealthy <= 0) {
                    continue;
                }
                int down = Math.min(maxScaledDown - cleaned, unhealthy);
                scale(rs, replicas(rs) - down);
                cleaned += down;
            }
            int availablePods = all().stream().mapToInt(DeploymentController::available).sum();
            int toScaleDown = availablePods - minAvailable;
            int scaledDown = 0;
            for (ReplicaSet rs : active) {
                if (scaledDown >= toScaleDown || replicas(rs) == 0) {
                    continue;
                }
                int down = Math.min(replicas(rs), toScaleDown - scaledDown);
                scale(rs, replicas(rs) - down);
                scaledDown += down;
            }
            return cleaned + scaledDown > 0;
        }

        private boolean oldPodsRunning() {
            return old.stream().anyMatch(rs -> rs.getStatus() != null && count(rs.getStatus().getReplicas()) > 0)
                    || old.stream().flatMap(rs -> pods.getIndexer().byIndex(byReplicaSet, rs.getMetadata().getUid())
                            .stream()).anyMatch(pod -> pod.getStatus() == null
                                    || !Set.of("Succeeded", "Failed").contains(pod.getStatus().getPhase()));
        }

        /**
         * getNewReplicaSet: brings the new ReplicaSet's revision, copied annotations and minReadySeconds up to date,
         * or creates it when asked to.
         */
        void findNew(boolean create) {
            long revision = old.stream().mapToLong(DeploymentController::revision).max().orElse(0) + 1;
            if (newRs != null) {
                Map<String, String> annotations = copiedAnnotations(newRs.getMetadata());
                if (revision(newRs) < revision) {
                    annotations.put(REVISION, String.valueOf(revision));
                }
                Map<String, Object> patch = new LinkedHashMap<>();
                if (!annotations.isEmpty()) {
                    patch.put("metadata", Map.of("annotations", annotations));
                }
                if (count(newRs.getSpec().getMinReadySeconds()) != count(deployment.getSpec().getMinReadySeconds())) {
                    patch.put("spec", Collections.singletonMap("minReadySeconds",
                            deployment.getSpec().getMinReadySeconds()));
                }
                if (!patch.isEmpty()) {
                    newRs = Serialization.clone(patch(newRs, patch));
                }
                annotateRevision(newRs.getMetadata().getAnnotations().get(REVISION));
                if (RolloutStatus.condition(status, RolloutStatus.PROGRESSING).isEmpty()) {
                    RolloutStatus.set(status, RolloutStatus.condition(RolloutStatus.PROGRESSING, true,
                            RolloutStatus.FOUND_NEW_RS, "Found new replica set \"" + newRs.getMetadata().getName()
                                    + "\"", now));
                }
            } else if (create) {
                createNew(revision);
            }
        }

        private void createNew(long revision) {
            String hash = hash();
            String name = deployment.getMetadata().getName() + "-" + hash;
            PodTemplateSpec template = Serialization.clone(deployment.getSpec().getTemplate());
            if (template.getMetadata() == null) {
                template.setMetadata(new ObjectMeta());
            }
            Map<String, String> labels = new LinkedHashMap<>(labels(template.getMetadata()));
            labels.put(POD_TEMPLATE_HASH, hash);
            template.getMetadata().setLabels(labels);
            LabelSelector selector = Serialization.clone(deployment.getSpec().getSelector());
            Map<String, String> matchLabels = new LinkedHashMap<>(Objects.requireNonNullElse(selector.getMatchLabels(),
                    Map.of()));
            matchLabels.put(POD_TEMPLATE_HASH, hash);
            selector.setMatchLabels(matchLabels);
            Map<String, String> annotations = copiedAnnotations(new ObjectMeta());
            annotations.putAll(Map.of(REVISION, String.valueOf(revision),
                    DESIRED_REPLICAS, String.valueOf(replicas),
                    MAX_REPLICAS, String.valueOf(replicas + limits.maxSurge())));
            int scale = newReplicas();
            ReplicaSet rs = new ReplicaSetBuilder()
                    .withNewMetadata().withName(name).withNamespace(deployment.getMetadata().getNamespace())
                    .withLabels(labels).withAnnotations(annotations)
                    .withOwnerReferences(JobController.controllerReference(deployment)).endMetadata()
                    .withNewSpec().withReplicas(scale).withMinReadySeconds(deployment.getSpec().getMinReadySeconds())
                    .withSelector(selector).withTemplate(template).endSpec()
                    .build();
            try {
                newRs = Serialization.clone(client.apps().replicaSets()
                        .inNamespace(deployment.getMetadata().getNamespace()).resource(rs).create());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                ReplicaSet existing = client.apps().replicaSets().inNamespace(deployment.getMetadata().getNamespace())
                        .withName(name).get();
                if (existing != null && Owners.controller(existing, "Deployment")
                        .filter(o -> o.getUid().equals(deployment.getMetadata().getUid())).isPresent()) {
                    // created by an earlier pass that the informer does not show yet
                    newRs = Serialization.clone(existing);
                    writtenReplicaSets.remember(existing);
                } else {
                    // another ReplicaSet has the name: the next hash names another one
                    status.setCollisionCount(count(status.getCollisionCount()) + 1);
                }
                return;
            }
            writtenReplicaSets.remember(newRs);
            if (scale > 0) {
                events.record(deployment, ClusterReason.ScalingReplicaSet, "Scaled up replica set " + name
                        + " from 0 to " + scale, now);
            }
            annotateRevision(String.valueOf(revision));
            RolloutStatus.set(status, RolloutStatus.condition(RolloutStatus.PROGRESSING, true,
                    RolloutStatus.NEW_RS_CREATED, "Created new replica set \"" + name + "\"", now));
        }

        /** The Deployment's annotations that the ReplicaSet lacks or has otherwise, to copy onto it. */
        private Map<String, String> copiedAnnotations(ObjectMeta rs) {
            Map<String, String> copied = new LinkedHashMap<>();
            Map<String, String> theirs = Objects.requireNonNullElse(rs.getAnnotations(), Map.of());
            Objects.requireNonNullElse(deployment.getMetadata().getAnnotations(), Map.<String, String>of())
                    .forEach((name, value) -> {
                        if (!NOT_COPIED.contains(name) && !value.equals(theirs.get(name))) {
                            copied.put(name, value);
                        }
                    });
            return copied;
        }

        /** The Deployment's revision is its new ReplicaSet's. */
        private void annotateRevision(String revision) {
            if (revision == null || revision.equals(Objects.requireNonNullElse(deployment.getMetadata()
                    .getAnnotations(), Map.of()).get(REVISION))) {
                return;
            }
            writtenDeployments.remember(client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                    .withName(deployment.getMetadata().getName()).patch(StatusPatches.MERGE, Serialization.asJson(
                            Map.of("metadata", Map.of("annotations", Map.of(REVISION, revision))))));
        }

        /** scaleReplicaSetAndRecordEvent: the ReplicaSet's replicas, and the replicas annotations with them. */
        private boolean scale(ReplicaSet rs, int scale) {
            int before = replicas(rs);
            if (before == scale) {
                return false;
            }
            patch(rs, Map.of(
                    "metadata", Map.of("annotations", Map.of(DESIRED_REPLICAS, String.valueOf(replicas),
                            MAX_REPLICAS, String.valueOf(replicas + limits.maxSurge()))),
                    "spec", Map.of("replicas", scale)));
            rs.getSpec().setReplicas(scale);
            events.record(deployment, ClusterReason.ScalingReplicaSet, "Scaled " + (before < scale ? "up" : "down")
                    + " replica set " + rs.getMetadata().getName() + " from " + before + " to " + scale, now);
            return true;
        }

        private ReplicaSet patch(ReplicaSet rs, Map<String, Object> patch) {
            ReplicaSet patched = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).patch(StatusPatches.MERGE, Serialization.asJson(patch));
            writtenReplicaSets.remember(patched);
            return patched;
        }

        /** cleanupDeployment, once the stored status says the rollout completed. */
        private void cleanUpIfComplete() {
            Integer limit = deployment.getSpec().getRevisionHistoryLimit();
            if (limit == null || deployment.getStatus() == null
                    || !RolloutStatus.complete(deployment, deployment.getStatus())) {
                return;
            }
            List<ReplicaSet> alive = old.stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
                    .sorted(Comparator.comparingLong(DeploymentController::revision).thenComparing(OLDEST_FIRST))
                    .toList();
            for (ReplicaSet rs : alive.subList(0, Math.max(0, alive.size() - limit))) {
                boolean empty = replicas(rs) == 0
                        && (rs.getStatus() == null || count(rs.getStatus().getReplicas()) == 0);
                boolean seen = rs.getStatus() != null
                        && Objects.requireNonNullElse(rs.getStatus().getObservedGeneration(), 0L)
                                >= Objects.requireNonNullElse(rs.getMetadata().getGeneration(), 0L);
                if (empty && seen) {
                    try {
                        client.resource(rs).delete();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 404) {
                            throw e;
                        }
                    }
                }
            }
        }

        /** The status as Kubernetes calculates it, written if it changed; a wake-up for the progress deadline. */
        void writeStatus(boolean checkProgress, String key) {
            DeploymentStatus next = RolloutStatus.next(deployment, status, all(), newRs, checkProgress, now);
            DeploymentStatus stored = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
            if (!Serialization.asJson(next).equals(Serialization.asJson(stored))) {
                Deployment patched = client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                        .withName(deployment.getMetadata().getName()).subresource("status")
                        .patch(StatusPatches.MERGE, StatusPatches.replacing(stored, next));
                if (patched != null && patched.getMetadata().getUid().equals(deployment.getMetadata().getUid())) {
                    writtenDeployments.remember(patched);
                }
            }
            if (checkProgress) {
                // Kubernetes times out only after the deadline has passed
                RolloutStatus.timeout(deployment, next).ifPresent(at -> timers.at(at.plusSeconds(1), key, queue::add));
            }
        }
    }

    private static Map<String, String> labels(ObjectMeta metadata) {
        return metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    }

    private static long revision(ReplicaSet rs) {
        String revision = rs.getMetadata().getAnnotations() == null ? null
                : rs.getMetadata().getAnnotations().get(REVISION);
        try {
            return revision == null ? 0 : Long.parseLong(revision);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int replicas(ReplicaSet rs) {
        return rs == null ? 0 : Objects.requireNonNullElse(rs.getSpec().getReplicas(), 1);
    }

    private static int available(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null ? 0 : count(rs.getStatus().getAvailableReplicas());
    }

    private static int specified(List<ReplicaSet> replicaSets) {
        return replicaSets.stream().mapToInt(DeploymentController::replicas).sum();
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

    void close() {
        if (queue != null) {
            queue.close();
        }
    }
}
