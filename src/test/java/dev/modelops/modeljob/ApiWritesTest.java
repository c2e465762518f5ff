package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.OperatorUserAgent;
import dev.modelops.sandbox.server.ApiRequestCounts;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.Reconciles;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a ModelJob costs the API server, counted at the embedded server. Only the operator writes Jobs, ModelJob
 * status, ConfigMaps and Events here (the simulated runtime writes pods and Job status), so those counts are the
 * operator's.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class ApiWritesTest {

    @InjectSandbox
    KubernetesClient client;

    @InjectSandbox
    EmbeddedApiServer server;

    @Inject
    MeterRegistry registry;

    @Test
    void aComputeJobLifecycleCostsOneJobAStatusWritePerStepOneConfigMapAndAnEventPerTimelineEntry() {
        ModelJobs.settledVersion(client, "costly-v1");
        ApiRequestCounts before = server.requests().snapshot();
        ApiRequestCounts operatorBefore = server.requests().snapshot(OperatorUserAgent.PRODUCT);

        modelJob("cost-1", JobType.Evaluate, "costly-v1").runs("300ms").logs("auc=0.9\n").create(client);
        ModelJob done = awaitCondition(client, "cost-1", "Complete");
        ApiRequestCounts lifecycle = quiet().minus(before);
        ApiRequestCounts operator = server.requests().snapshot(OperatorUserAgent.PRODUCT)
                .minus(operatorBefore);

        System.out.println("API requests of one compute ModelJob lifecycle:\n" + lifecycle);
        assertEquals(1, lifecycle.count("create", "jobs"), lifecycle.toString());
        assertEquals(0, lifecycle.count("patch", "jobs"), "a job that is not stopped is never patched");
        assertEquals(1, lifecycle.count("create", "configmaps"));
        assertEquals(done.getStatus().getTimeline().size(), client.v1().events()
                        .withField("involvedObject.name", "cost-1").withField("involvedObject.kind", "ModelJob").list()
                        .getItems().stream().filter(e -> "modelops-operator".equals(e.getSource().getComponent())).count(),
                "one Event per timeline entry (the scheduler, kubelet and Job controller record their own; the"
                        + " ModelVersion its summary)");
        assertEquals(0, operator.count("patch", "events"), "no Event repeated");
        long statusWrites = lifecycle.count("patch", "modeljobs/status");
        assertEquals(true, statusWrites >= 2 && statusWrites <= 3,
                "one status write when the Job is created, one when it runs (unless it ended first), one when it ends: "
                        + statusWrites);
        assertEquals(1, operator.count("get", "pods/log"), "the log is read once, when the job ends");
        assertEquals(0, operator.count("list", "pods") + operator.count("get", "pods"),
                "pods are read from the informer cache: " + operator);
    }

    @Test
    void reconcilesThatSeeNothingNewWriteNothing() {
        ModelJobs.settledVersion(client, "idle-v1");
        modelJob("idle-1", JobType.Train, "idle-v1").runs("60s").create(client);
        await().until(() -> get(client, "idle-1").getStatus() != null
                && get(client, "idle-1").getStatus().getPhase() == JobPhase.Running);
        ApiRequestCounts before = quiet();

        for (int i = 0; i < 3; i++) { // each change of the ModelVersion reconciles its ModelJobs
            double reconciled = Reconciles.started(registry);
            client.resources(ModelVersion.class).withName("idle-v1").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"labels\":{\"touched\":\"" + i + "\"}}}");
            await().until(() -> Reconciles.started(registry) > reconciled);
        }
        ApiRequestCounts after = quiet().minus(before);

        assertEquals(0, after.writesExcept("modelversions"), "writes by reconciles that saw nothing new:\n" + after);
    }

    /** The counts once a second has passed with no writes. */
    private ApiRequestCounts quiet() {
        ApiRequestCounts[] last = {server.requests().snapshot()};
        await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15)).until(() -> {
            ApiRequestCounts now = server.requests().snapshot();
            boolean quiet = now.writes() == last[0].writes();
            last[0] = now;
            return quiet;
        });
        return last[0];
    }
}
