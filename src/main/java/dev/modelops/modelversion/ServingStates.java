package dev.modelops.modelversion;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Where a version's serving stands, read from its Deployment's status as {@code kubectl rollout status} reads it. */
final class ServingStates {

    private ServingStates() {
    }

    static Serving of(Deployment deployment) {
        String name = deployment.getMetadata().getName();
        var status = deployment.getStatus();
        List<DeploymentCondition> conditions = status == null || status.getConditions() == null ? List.of()
                : status.getConditions();
        Optional<DeploymentCondition> progressing = conditions.stream()
                .filter(c -> "Progressing".equals(c.getType())).findFirst();
        if (progressing.filter(c -> "False".equals(c.getStatus())
                && "ProgressDeadlineExceeded".equals(c.getReason())).isPresent()) {
            return new Serving.Failed("Deployment " + name + " did not become available within "
                    + deployment.getSpec().getProgressDeadlineSeconds() + "s: " + progressing.get().getMessage());
        }
        int wanted = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        int available = status == null ? 0 : Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
        boolean observed = status != null && status.getObservedGeneration() != null
                && status.getObservedGeneration() >= Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
        boolean availableCondition = conditions.stream().anyMatch(c -> "Available".equals(c.getType())
                && "True".equals(c.getStatus()));
        if (observed && availableCondition && available >= wanted) {
            return new Serving.Available();
        }
        return new Serving.Progressing("Deployment " + name + ": " + available + " of " + wanted
                + " replicas available");
    }
}
