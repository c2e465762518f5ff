package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * A Deployment's status as the Deployment controller calculates it (pkg/controller/deployment: sync.go
 * calculateStatus, progress.go syncRolloutStatus, util/deployment_util.go): the counts summed over its ReplicaSets,
 * {@code Available} when no more pods are unavailable than maxUnavailable allows, and {@code Progressing} from the
 * progress made since the last status and {@code progressDeadlineSeconds} (600 unless set).
 */
final class RolloutStatus {

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    static final String RS_UPDATED = "ReplicaSetUpdated";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    private static final int DEFAULT_PROGRESS_DEADLINE = 600;

    private RolloutStatus() {
    }

    /**
     * The next status. {@code known} is the status as the controller has it in this pass: the stored one, with the
     * conditions it set on finding or creating the new ReplicaSet; progress is measured against it.
     */
    static DeploymentStatus next(Deployment deployment, DeploymentStatus known, List<ReplicaSet> all,
            ReplicaSet newRs, boolean checkProgress, Instant now) {
        int replicas = RolloutLimits.replicas(deployment);
        int available = sum(all, rs -> rs.getStatus() == null ? 0 : count(rs.getStatus().getAvailableReplicas()));
        int desired = sum(all, rs -> count(rs.getSpec().getReplicas()));
        DeploymentStatus next = new DeploymentStatus();
        next.setObservedGeneration(deployment.getMetadata().getGeneration());
        next.setReplicas(StatusPatches.omittedIfZero(sum(all, rs -> rs.getStatus() == null ? 0
                : count(rs.getStatus().getReplicas()))));
        next.setUpdatedReplicas(StatusPatches.omittedIfZero(newRs == null || newRs.getStatus() == null ? 0
                : count(newRs.getStatus().getReplicas())));
        next.setReadyReplicas(StatusPatches.omittedIfZero(sum(all, rs -> rs.getStatus() == null ? 0
                : count(rs.getStatus().getReadyReplicas()))));
        next.setAvailableReplicas(StatusPatches.omittedIfZero(available));
        next.setUnavailableReplicas(StatusPatches.omittedIfZero(Math.max(0, desired - available)));
        next.setCollisionCount(known.getCollisionCount());
        next.setConditions(new ArrayList<>(known.getConditions().stream().map(Serialization::clone).toList()));
        if (available >= replicas - RolloutLimits.of(deployment).maxUnavailable()) {
            set(next, condition(AVAILABLE, true, "MinimumReplicasAvailable", "Deployment has minimum availability.",
                    now));
        } else {
            set(next, condition(AVAILABLE, false, "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.", now));
        }
        if (checkProgress) {
            progress(deployment, known, next, newRs, now);
        }
        return next;
    }

    private static void progress(Deployment deployment, DeploymentStatus known, DeploymentStatus next,
            ReplicaSet newRs, Instant now) {
        Optional<DeploymentCondition> current = condition(known, PROGRESSING);
        boolean completed = count(next.getReplicas()) == count(next.getUpdatedReplicas()) && current.isPresent()
                && NEW_RS_AVAILABLE.equals(current.get().getReason());
        if (completed) {
            return;
        }
        String subject = newRs == null ? "Deployment \"" + deployment.getMetadata().getName() + "\""
                : "ReplicaSet \"" + newRs.getMetadata().getName() + "\"";
        if (complete(deployment, next)) {
            set(next, condition(PROGRESSING, true, NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
        } else if (progressed(known, next)) {
            // the one condition whose lastUpdateTime moves while its reason stays: progress was seen now
            DeploymentCondition progressing = condition(PROGRESSING, true, RS_UPDATED, subject + " is progressing.",
                    now);
            if (current.isPresent() && "True".equals(current.get().getStatus())) {
                progressing.setLastTransitionTime(current.get().getLastTransitionTime());
            }
            next.getConditions().removeIf(c -> PROGRESSING.equals(c.getType()));
            set(next, progressing);
        } else if (timedOut(deployment, next, now)) {
            set(next, condition(PROGRESSING, false, TIMED_OUT, subject + " has timed out progressing.", now));
        }
    }

    /** DeploymentComplete: every replica updated and available, and the latest spec seen. */
    static boolean complete(Deployment deployment, DeploymentStatus status) {
        int replicas = RolloutLimits.replicas(deployment);
        return count(status.getUpdatedReplicas()) == replicas && count(status.getReplicas()) == replicas
                && count(status.getAvailableReplicas()) == replicas
                && Objects.requireNonNullElse(status.getObservedGeneration(), 0L)
                        >= Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
    }

    private static boolean progressed(DeploymentStatus before, DeploymentStatus after) {
        int oldBefore = count(before.getReplicas()) - count(before.getUpdatedReplicas());
        int oldAfter = count(after.getReplicas()) - count(after.getUpdatedReplicas());
        return count(after.getUpdatedReplicas()) > count(before.getUpdatedReplicas()) || oldAfter < oldBefore
                || count(after.getReadyReplicas()) > count(before.getReadyReplicas())
                || count(after.getAvailableReplicas()) > count(before.getAvailableReplicas());
    }

    private static boolean timedOut(Deployment deployment, DeploymentStatus status, Instant now) {
        return timeout(deployment, status).map(at -> at.isBefore(now)).orElse(false)
                || condition(status, PROGRESSING).map(c -> TIMED_OUT.equals(c.getReason())).orElse(false);
    }

    /**
     * When a rollout that has not completed nor timed out times out without more progress: its last progress and
     * the deadline; after that instant it has timed out.
     */
    static Optional<Instant> timeout(Deployment deployment, DeploymentStatus status) {
        return condition(status, PROGRESSING)
                .filter(c -> !NEW_RS_AVAILABLE.equals(c.getReason()) && !TIMED_OUT.equals(c.getReason()))
                .map(c -> Instant.parse(Objects.requireNonNullElse(c.getLastUpdateTime(), c.getLastTransitionTime()))
                        .plusSeconds(Objects.requireNonNullElse(deployment.getSpec().getProgressDeadlineSeconds(),
                                DEFAULT_PROGRESS_DEADLINE)));
    }

    static Optional<DeploymentCondition> condition(DeploymentStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /**
     * SetDeploymentCondition: nothing changes for the same status and reason; a new reason keeps the
     * lastTransitionTime of the same status; the condition goes to the end of the list.
     */
    static void set(DeploymentStatus status, DeploymentCondition next) {
        Optional<DeploymentCondition> current = condition(status, next.getType());
        if (current.isPresent() && current.get().getStatus().equals(next.getStatus())
                && Objects.equals(current.get().getReason(), next.getReason())) {
            return;
        }
        if (current.isPresent() && current.get().getStatus().equals(next.getStatus())) {
            next.setLastTransitionTime(current.get().getLastTransitionTime());
        }
        List<DeploymentCondition> conditions = new ArrayList<>(status.getConditions());
        conditions.removeIf(c -> next.getType().equals(c.getType()));
        conditions.add(next);
        status.setConditions(conditions);
    }

    static DeploymentCondition condition(String type, boolean status, String reason, String message, Instant now) {
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new DeploymentConditionBuilder().withType(type).withStatus(status ? "True" : "False")
                .withReason(reason).withMessage(message).withLastUpdateTime(at).withLastTransitionTime(at).build();
    }

    private static int sum(List<ReplicaSet> replicaSets, ToIntFunction<ReplicaSet> count) {
        return replicaSets.stream().mapToInt(count).sum();
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
