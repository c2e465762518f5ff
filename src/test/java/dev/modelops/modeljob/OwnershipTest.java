package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child is a ModelJob's only when its owner reference carries the ModelJob's uid: a ModelJob applied again under
 * the name of a deleted one never takes over its predecessor's Job, pods or logs.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class OwnershipTest {

    @InjectSandbox
    KubernetesClient client;

    @BeforeEach
    void version() {
        ModelJobs.ensureVersion(client, "churn-v3");
    }

    @Test
    void aModelJobCreatedAgainUnderItsNameWaitsForTheOrphanedJobAndThenRunsItsOwn() {
        modelJob("again", JobType.Evaluate, "churn-v3").runs("10ms").reports("{\"metrics\":{\"auc\":0.5}}")
                .create(client);
        ModelJob first = awaitCondition(client, "again", "Complete");
        String firstPod = first.getStatus().getPodNames().get(0);
        // kubectl delete mj again --cascade=orphan: the Job stays, without its owner.
        client.batch().v1().jobs().withName("again").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"ownerReferences\":null}}");
        client.resources(ModelJob.class).withName("again").delete();
        await().until(() -> get(client, "again") == null);

        modelJob("again", JobType.Evaluate, "churn-v3").runs("10ms").reports("{\"metrics\":{\"auc\":0.9}}")
                .create(client);

        ModelJob waiting = await().until(() -> get(client, "again"), job -> job != null && job.getStatus() != null
                && Conditions.find(job.getStatus().getConditions(), "Started")
                        .map(c -> c.getReason().equals("JobNameTaken")).orElse(false));
        assertEquals(JobPhase.Pending, waiting.getStatus().getPhase());
        assertNull(waiting.getStatus().getResult(), "the orphaned run's result is not this job's");
        assertNull(waiting.getStatus().getPodNames());
        assertTrue(waiting.getStatus().getMessage().contains("kubectl delete job again"), waiting.getStatus().getMessage());
        await().untilAsserted(() -> assertTrue(events("again").stream().anyMatch(e -> "JobNameTaken".equals(e.getReason())
                && e.getInvolvedObject().getUid().equals(waiting.getMetadata().getUid()))));

        client.batch().v1().jobs().withName("again").delete();

        ModelJob second = awaitCondition(client, "again", "Complete");
        assertEquals(0.9, second.getStatus().getResult().getMetrics().get("auc"));
        assertNotEquals(firstPod, second.getStatus().getPodNames().get(0));
        assertEquals(second.getMetadata().getUid(), client.batch().v1().jobs().withName("again").get().getMetadata()
                .getOwnerReferences().get(0).getUid());
    }

    @Test
    void aLogsConfigMapThatAnotherObjectHoldsIsNeitherReadNorOverwritten() {
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("foreign-logs").endMetadata()
                .withData(Map.of("someone.log", "not this job's")).build()).create();

        modelJob("foreign", JobType.Evaluate, "churn-v3").runs("10ms").logs("scoring\n").create(client);

        ModelJob done = awaitCondition(client, "foreign", "Complete");
        assertNull(done.getStatus().getLogs(), "no logs reference to what is not this job's");
        assertTrue(done.getStatus().getTimeline().stream().map(TimelineEntry::getReason).toList().contains("LogsNotKept"));
        assertEquals(Map.of("someone.log", "not this job's"), client.configMaps().withName("foreign-logs").get().getData());
    }

    private java.util.List<Event> events(String name) {
        return client.v1().events().withField("involvedObject.name", name).list().getItems();
    }
}
