package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import static dev.modelops.modeljob.Fixtures.job;
import static dev.modelops.modeljob.Fixtures.modelJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a Job create that failed, what is at the Job's name decides: a quota's 403 is a wait with the server's
 * message, never a silent stall; the Job created after all is this ModelJob's; another's Job blocks.
 */
@EnableKubernetesMockClient
class JobLauncherTest {

    private static final String JOB_PATH = "/apis/batch/v1/namespaces/default/jobs/train-1";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aQuotaThatRefusesTheJobMakesTheModelJobWaitWithTheServersMessage() {
        server.expect().get().withPath(JOB_PATH).andReturn(404, new StatusBuilder().withCode(404).build()).once();

        Launch launch = JobLauncher.afterFailedCreate(modelJob("train-1", JobType.Train), client, forbidden());

        var held = assertInstanceOf(Launch.Held.class, launch);
        assertEquals(StartReason.JobNotCreated, held.reason());
        assertTrue(held.message().contains("HTTP 403") && held.message().contains("exceeded quota: compute"),
                held.message());
    }

    @Test
    void aJobThatWasCreatedDespiteTheErrorIsThisModelJobs() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        server.expect().get().withPath(JOB_PATH).andReturn(200, job(modelJob).build()).once();

        assertInstanceOf(Launch.Launched.class, JobLauncher.afterFailedCreate(modelJob, client, forbidden()));
    }

    @Test
    void anotherObjectsJobOfTheSameNameBlocksTheLaunch() {
        Job theirs = job(modelJob("train-1", JobType.Train)).build();
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        modelJob.getMetadata().setUid("a-newer-uid");
        server.expect().get().withPath(JOB_PATH).andReturn(200, theirs).once();

        var held = assertInstanceOf(Launch.Held.class, JobLauncher.afterFailedCreate(modelJob, client,
                new KubernetesClientException(new StatusBuilder().withCode(409).withReason("AlreadyExists").build())));
        assertEquals(StartReason.JobNameTaken, held.reason());
        assertTrue(held.message().contains("earlier ModelJob of the same name"), held.message());
    }

    private static KubernetesClientException forbidden() {
        return new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("jobs.batch \"train-1\" is forbidden: exceeded quota: compute, requested: count/jobs.batch=1,"
                        + " used: count/jobs.batch=10, limited: count/jobs.batch=10").build());
    }
}
