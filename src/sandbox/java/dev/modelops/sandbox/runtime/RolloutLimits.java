package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

import java.util.Objects;

/**
 * How far a Deployment's rollout may go beyond and below its replicas, in pods (pkg/controller/deployment/util:
 * ResolveFenceposts, MaxSurge, MaxUnavailable): percentages of the replicas, the surge rounded up and the unavailable
 * rounded down, 25% each unless set; at least one pod may be unavailable if none may surge. A Recreate Deployment has
 * neither.
 */
record RolloutLimits(int maxSurge, int maxUnavailable) {

    private static final IntOrString QUARTER = new IntOrString("25%");

    static RolloutLimits of(Deployment deployment) {
        if (!rolling(deployment)) {
            return new RolloutLimits(0, 0);
        }
        int replicas = replicas(deployment);
        RollingUpdateDeployment rolling = deployment.getSpec().getStrategy() == null ? null
                : deployment.getSpec().getStrategy().getRollingUpdate();
        int surge = scaled(rolling == null || rolling.getMaxSurge() == null ? QUARTER : rolling.getMaxSurge(),
                replicas, true);
        int unavailable = scaled(rolling == null || rolling.getMaxUnavailable() == null ? QUARTER
                : rolling.getMaxUnavailable(), replicas, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new RolloutLimits(surge, replicas == 0 ? 0 : Math.min(unavailable, replicas));
    }

    static boolean rolling(Deployment deployment) {
        return deployment.getSpec().getStrategy() == null || deployment.getSpec().getStrategy().getType() == null
                || "RollingUpdate".equals(deployment.getSpec().getStrategy().getType());
    }

    static int replicas(Deployment deployment) {
        return Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    }

    private static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text == null || !text.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: " + text);
        }
        double scaled = Double.parseDouble(text.substring(0, text.length() - 1)) * total / 100;
        return (int) (roundUp ? Math.ceil(scaled) : Math.floor(scaled));
    }
}
