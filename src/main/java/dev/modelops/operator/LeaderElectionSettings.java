package dev.modelops.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Leader election among the operator's replicas, under {@code modelops.leader-election.*}: only the replica that holds
 * the Lease reconciles. On by default; off in the sandbox and the tests (application.properties).
 */
@ConfigMapping(prefix = "modelops.leader-election")
public interface LeaderElectionSettings {

    @WithDefault("true")
    boolean enabled();

    /** The {@code coordination.k8s.io/v1} Lease the replicas compete for. */
    @WithDefault("modelops-operator")
    String leaseName();

    /** Where the Lease lives; by default the namespace of the operator's client (the chart's KUBERNETES_NAMESPACE). */
    Optional<String> leaseNamespace();

    /** This replica's name in the Lease's holderIdentity; by default the pod's name (HOSTNAME). */
    Optional<String> identity();

    /** How long a Lease that its holder stopped renewing keeps the others waiting (a crashed leader's hand-over). */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives the Lease up and exits. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often the leader renews and the others try to acquire. */
    @WithDefault("2s")
    Duration retryPeriod();
}
