package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.EventType;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.common.Conditions;
import dev.modelops.testing.EmbeddedCluster;
import dev.modelops.testing.PlainOperators;
import dev.modelops.testing.TestJobSettings;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator was killed after writing the status that names a ModelJob's Job and before anyone saw the Job (the
 * chaos suite found SIGKILLs in that window ending ModelJobs {@code JobLost} that had never run). When it is back,
 * what the API server holds decides, and the step never runs twice.
 */
class InterruptedLaunchTest {

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.withRuntime();

    private Operator operator;
    private KubernetesClient operatorClient;

    /** A new operator process that finds the ModelJob as the killed one left it. */
    private void startOperator() {
        operatorClient = CLUSTER.server().newClient("modelops-operator/test");
        var settings = TestJobSettings.defaults();
        operator = PlainOperators.create(operatorClient, settings, overrider -> { });
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        if (operator != null) {
            operator.stop();
            operatorClient.close();
        }
    }

    @Test
    void aJobTheStatusNamesThatWasNeverCreatedIsCreatedOnceWhenTheOperatorIsBack() {
        ModelJob named = namedButNotLaunched("never-created", "v-never-created");

        startOperator();

        ModelJob done = awaitPhase("never-created", JobPhase.Succeeded);
        assertEquals(0.93, done.getStatus().getResult().getMetrics().get("auc"));
        assertEquals(1, jobs("never-created").size());
        assertEquals(named.getMetadata().getUid(), jobs("never-created").get(0).getMetadata().getOwnerReferences()
                .get(0).getUid());
        assertTrue(story(done).containsAll(List.of("Created", "JobCreated", "Started", "Succeeded")), story(done)
                .toString());
    }

    @Test
    void aJobTheStatusNamesThatMadePodsAndWasDeletedIsLostAndNotRunAgain() {
        namedButNotLaunched("ran-and-deleted", "v-ran-and-deleted");
        // What the Job controller recorded when it made the pod of the Job that someone deleted since.
        client().v1().events().resource(new EventBuilder().withNewMetadata().withName("ran-and-deleted.pod")
                .withNamespace("default").endMetadata().withNewInvolvedObject().withApiVersion("batch/v1")
                .withKind("Job").withName("ran-and-deleted").withNamespace("default").withUid("the-deleted-job")
                .endInvolvedObject().withReason("SuccessfulCreate").withMessage("Created pod: ran-and-deleted-x7k2p")
                .withType("Normal").withLastTimestamp(Conditions.timestamp(Instant.now().plusSeconds(1))).build())
                .create();

        startOperator();

        ModelJob lost = awaitPhase("ran-and-deleted", JobPhase.Failed);
        assertEquals("JobLost", Conditions.find(lost.getStatus().getConditions(), "Failed").orElseThrow().getReason());
        await().during(Duration.ofSeconds(1)).until(() -> jobs("ran-and-deleted").isEmpty());
    }

    @Test
    void aJobTheStatusNamesWhoseNameAnotherJobHoldsWaitsForIt() {
        namedButNotLaunched("name-taken", "v-name-taken");
        client().batch().v1().jobs().resource(new JobBuilder().withNewMetadata().withName("name-taken").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
                .withName("main").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build())
                .create();

        startOperator();

        ModelJob waiting = await().until(() -> get("name-taken"), job -> Conditions.find(job.getStatus()
                .getConditions(), "Started").map(c -> c.getReason().equals("JobNameTaken")).orElse(false));
        assertEquals(JobPhase.Pending, waiting.getStatus().getPhase());
        assertNull(waiting.getStatus().getJobName(), "the launch is no longer recorded");
        assertEquals(1, jobs("name-taken").size(), "the other Job only");
    }

    /** The ModelJob as an operator killed right after naming its Job in status left it. */
    private ModelJob namedButNotLaunched(String name, String version) {
        client().resource(ModelJobs.version(version)).create();
        ModelJob created = modelJob(name, JobType.Evaluate, version).runs("200ms").logs("evaluating\n")
                .reports("{\"metrics\":{\"auc\":0.93}}").create(client());
        ModelJobStatus status = new ModelJobStatus();
        status.setPhase(JobPhase.Pending);
        status.setJobName(name);
        status.setMessage("Creating Job " + name);
        status.setObservedGeneration(created.getMetadata().getGeneration());
        TimelineEntry requested = new TimelineEntry();
        requested.setTime(created.getMetadata().getCreationTimestamp());
        requested.setType(EventType.Normal);
        requested.setReason("Created");
        requested.setMessage("Evaluate of ModelVersion " + version + " requested");
        status.setTimeline(List.of(requested));
        created.setStatus(status);
        return client().resource(created).updateStatus();
    }

    private ModelJob awaitPhase(String name, JobPhase phase) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> get(name),
                job -> job.getStatus() != null && job.getStatus().getPhase() == phase);
    }

    private static ModelJob get(String name) {
        return client().resources(ModelJob.class).withName(name).get();
    }

    private static List<Job> jobs(String name) {
        return client().batch().v1().jobs().list().getItems().stream()
                .filter(job -> job.getMetadata().getName().equals(name)).toList();
    }

    private static List<String> story(ModelJob job) {
        return job.getStatus().getTimeline().stream().map(TimelineEntry::getReason).toList();
    }

    private static KubernetesClient client() {
        return CLUSTER.client();
    }
}
