package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.lifecycle.JobLifecycle;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator restarts while 50 ModelJobs run: the new process finds their Jobs and creates none again. Its own
 * profile, because it stops the application's operator.
 */
@QuarkusTest
@TestProfile(OperatorRestartTest.Restarting.class)
@QuarkusTestResource(SandboxResource.class)
class OperatorRestartTest {

    /** The stopped operator leaves the client open, so that its configuration can start a new one. */
    public static class Restarting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.close-client-on-stop", "false");
        }
    }

    private static final int JOBS = 50;

    @InjectSandbox
    KubernetesClient client;

    @Inject
    Operator operator;

    @Inject
    ModelJobReconciler reconciler;

    @Test
    void aRestartInTheMiddleOf50RunningJobsCreatesNoSecondJob() {
        client.resource(ModelJobs.version("churn-v3")).create();
        IntStream.range(0, JOBS).forEach(i -> modelJob("restart-" + i, JobType.Train, "churn-v3").runs("10s")
                .logs("training\n").create(client));
        await().atMost(Duration.ofSeconds(30)).until(() -> jobUids().size() == JOBS
                && client.resources(ModelJob.class).list().getItems().stream().noneMatch(JobLifecycle::ended));
        Map<String, String> before = jobUids();
        assertEquals(JOBS, before.size());

        operator.stop();
        Operator restarted = new Operator(operator.getConfigurationService());
        restarted.register(reconciler);
        restarted.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(ModelJob.class).list().getItems()
                    .stream().filter(job -> job.getMetadata().getName().startsWith("restart-"))
                    .filter(job -> job.getStatus().getPhase() == JobPhase.Succeeded).count() == JOBS);
        } finally {
            restarted.stop();
        }
        assertEquals(before, jobUids(), "the same Jobs, none deleted and created again");
        client.resources(ModelJob.class).list().getItems().stream()
                .filter(job -> job.getMetadata().getName().startsWith("restart-")).forEach(job -> assertTrue(
                job.getStatus().getTimeline().stream().filter(e -> e.getReason().equals("JobCreated")).count() == 1,
                job.getMetadata().getName() + " recorded one JobCreated"));
    }

    private Map<String, String> jobUids() {
        return client.batch().v1().jobs().withLabel("modelops.dev/model-job").list().getItems().stream()
                .filter(job -> job.getMetadata().getName().startsWith("restart-"))
                .collect(Collectors.toMap(job -> job.getMetadata().getName(), (Job job) -> job.getMetadata().getUid()));
    }
}
