package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.Reconciles;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ended ModelJobs are left alone: with 10,000 of them, each failsafe round, each change of their ModelVersion, or
 * a restart of the operator queued 10,000 reconciles ahead of new ModelJobs. Read from the operator's own
 * reconciliation metric, with the failsafe every second.
 */
@QuarkusTest
@TestProfile(EndedModelJobsLeftAloneTest.ResyncEverySecond.class)
@QuarkusTestResource(SandboxResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndedModelJobsLeftAloneTest {

    public static class ResyncEverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The stopped operator leaves the client open, so that its configuration can start a new one.
            return Map.of("quarkus.operator-sdk.controllers.modeljob.max-reconciliation-interval", "1s",
                    "quarkus.operator-sdk.close-client-on-stop", "false");
        }
    }

    @InjectSandbox
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    Operator operator;

    @Inject
    ModelJobReconciler reconciler;

    @Test
    @Order(1)
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

    /**
     * A restarted operator's first work is new ModelJobs, not the ended ones it finds: with 10,000 of those in the
     * API, their reconciles (each doing nothing) were queued ahead of the first new ModelJob. One changed while the
     * operator was down still has its change acknowledged. Last, because it stops the application's operator.
     */
    @Test
    @Order(2)
    void aRestartReconcilesNoEndedModelJobButAcknowledgesOneChangedWhileItWasDown() {
        client.resource(ModelJobs.version("ended-v1")).create();
        IntStream.range(0, 5).forEach(i -> modelJob("ended-" + i, JobType.Evaluate, "ended-v1").runs("10ms")
                .logs("done\n").create(client));
        IntStream.range(0, 5).forEach(i -> awaitCondition(client, "ended-" + i, "Complete"));
        // The versions' own step ModelJobs (their Train) too, so that every ModelJob has ended.
        client.resources(ModelJob.class).list().getItems().stream().filter(job -> !JobLifecycle.ended(job))
                .forEach(job -> client.resources(ModelJob.class).withName(job.getMetadata().getName()).edit(edited -> {
                    edited.getSpec().setStop(true);
                    return edited;
                }));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(ModelJob.class).list().getItems().stream()
                .allMatch(job -> JobLifecycle.ended(job) && acknowledged(job)));

        operator.stop();
        ModelJob stopped = client.resources(ModelJob.class).withName("ended-0").edit(job -> {
            job.getSpec().setStop(true);
            return job;
        });
        double before = Reconciles.started(registry, "ModelJob");
        Operator restarted = new Operator(operator.getConfigurationService());
        restarted.register(reconciler);
        restarted.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged(client.resources(ModelJob.class)
                    .withName("ended-0").get()));
            awaitNoReconcileFor(Duration.ofSeconds(3));
            // ended-0 once (or twice, if an event of its Job or pod came after its reconcile had begun); before, every
            // ended ModelJob (eight) at least once.
            double reconciled = Reconciles.started(registry, "ModelJob") - before;
            assertTrue(reconciled >= 1 && reconciled <= 2, reconciled + " ModelJob reconciles after the restart");
        } finally {
            restarted.stop();
        }
        ModelJob acknowledged = client.resources(ModelJob.class).withName("ended-0").get();
        assertEquals(stopped.getMetadata().getGeneration(), acknowledged.getStatus().getObservedGeneration());
        assertEquals(JobPhase.Succeeded, acknowledged.getStatus().getPhase());
    }

    private static boolean acknowledged(ModelJob job) {
        return job.getMetadata().getGeneration().equals(job.getStatus().getObservedGeneration());
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
