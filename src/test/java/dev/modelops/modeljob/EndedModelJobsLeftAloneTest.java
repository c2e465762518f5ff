package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.testing.Reconciles;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ended ModelJobs are left alone: with 10,000 of them, each failsafe round, or each change of their ModelVersion,
 * queued 10,000 reconciles ahead of new ModelJobs. Read from the operator's own reconciliation metric, with the
 * failsafe every second.
 */
@QuarkusTest
@TestProfile(EndedModelJobsLeftAloneTest.ResyncEverySecond.class)
@QuarkusTestResource(SandboxResource.class)
class EndedModelJobsLeftAloneTest {

    public static class ResyncEverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.controllers.modeljob.max-reconciliation-interval", "1s");
        }
    }

    @InjectSandbox
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Test
    void anEndedModelJobIsNotReconciledAgainByTheFailsafeNorByAChangeOfItsModelVersion() {
        client.resource(ModelJobs.version("resync-v1")).create();
        modelJob("resync-1", JobType.Evaluate, "resync-v1").runs("100ms").logs("done\n").create(client);
        awaitCondition(client, "resync-1", "Complete");

        // The reconciles of the ending's last events may still run; then none for 3 s, three failsafe rounds.
        double quiet = awaitNoReconcileFor(Duration.ofSeconds(3));

        client.resources(ModelVersion.class).withName("resync-v1")
                .edit(version -> {
                    version.getMetadata().getLabels().put("team", "ml");
                    return version;
                });
        assertEquals(quiet, awaitNoReconcileFor(Duration.ofSeconds(2)), "reconciles after the ModelVersion changed");
    }

    /** Waits until no reconcile starts for that long, and returns how many had started. */
    private double awaitNoReconcileFor(Duration quiet) {
        double[] started = new double[1];
        await().atMost(Duration.ofSeconds(20)).ignoreException(ConditionTimeoutException.class).until(() -> {
            double before = reconciliationsStarted();
            await().during(quiet).atMost(quiet.plusSeconds(1)).until(() -> reconciliationsStarted() == before);
            started[0] = before;
            return before > 0;
        });
        return started[0];
    }

    private double reconciliationsStarted() {
        return Reconciles.started(registry);
    }
}
