package dev.modelops.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * Builds the JOSDK leader election of the operator from its settings; the CDI producer and the two-instance test both
 * build it here.
 * <p>
 * JOSDK's own exit on a lost Lease ({@code exitOnStopLeading}) is off: JOSDK also calls it when the operator stops
 * and releases the Lease, from the shutdown hook, where {@code System.exit} blocks the JVM's shutdown for good
 * (java-operator-sdk issue 3376). {@code onLeaseLost} runs instead, on both occasions; the caller tells them apart.
 */
public final class LeaderElection {

    private LeaderElection() {
    }

    /** The configuration of an enabled election; {@code onLeaseLost} runs when this replica stops leading. */
    public static LeaderElectionConfiguration configuration(LeaderElectionSettings settings, Runnable onLeaseLost) {
        return new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace().orElse(null),
                settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(),
                settings.identity().orElse(null),
                new LeaderCallbacks(() -> { }, onLeaseLost, newLeader -> { }),
                false);
    }
}
