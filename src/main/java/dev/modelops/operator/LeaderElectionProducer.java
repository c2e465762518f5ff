package dev.modelops.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Gives the Quarkus operator SDK the leader election it looks up as a CDI bean, or none when
 * {@code modelops.leader-election.enabled} is false. A replica that loses the Lease while it runs exits (code 1), so
 * that it never reconciles beside the new leader; Kubernetes restarts it as a standby.
 */
@Singleton
public class LeaderElectionProducer {

    private static final Logger LOG = Logger.getLogger(LeaderElectionProducer.class);

    private volatile boolean stopping;

    @Produces
    @Dependent
    @Unremovable
    LeaderElectionConfiguration leaderElection(LeaderElectionSettings settings) {
        return settings.enabled() ? LeaderElection.configuration(settings, this::leaseLost) : null;
    }

    /** Before the SDK stops the operator, which releases the Lease and so calls {@link #leaseLost()}. */
    void onShutdown(@Observes @Priority(0) ShutdownEvent event) {
        stopping = true;
    }

    private void leaseLost() {
        if (!stopping) {
            LOG.error("Lost the leader election Lease; exiting so that only the new leader reconciles");
            Quarkus.asyncExit(1);
        }
    }
}
