package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Conditions;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.modelops.modeljob.ModelJobs.awaitCondition;
import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user sees when a ModelJob cannot run as written: a condition with a reason, never a silent Pending. */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class BadInputTest {

    @InjectSandbox
    KubernetesClient client;

    @Test
    void aJobWaitsForItsModelVersionAndStartsWhenItIsCreated() {
        modelJob("wait-for-v7", JobType.Evaluate, "churn-v7").runs("10ms").create(client);
        await().until(() -> {
            ModelJob job = get(client, "wait-for-v7");
            return job.getStatus() != null && Conditions.find(job.getStatus().getConditions(), "Started")
                    .map(c -> c.getReason().equals("ModelVersionNotFound")).orElse(false);
        });
        ModelJob waiting = get(client, "wait-for-v7");
        assertEquals(JobPhase.Pending, waiting.getStatus().getPhase());
        assertEquals("ModelVersion churn-v7 does not exist in namespace default; the job starts when it is created",
                waiting.getStatus().getMessage());
        assertNull(client.batch().v1().jobs().withName("wait-for-v7").get(), "no Job while the version is missing");

        client.resource(ModelJobs.version("churn-v7")).create();

        ModelJob done = awaitCondition(client, "wait-for-v7", "Complete");
        assertEquals(JobPhase.Succeeded, done.getStatus().getPhase());
    }

    @Test
    void requestsToAVersionThatIsStillTrainingFailOutOfOrderAndRunNoPod() {
        client.resource(ModelJobs.version("churn-v8")).create();
        for (JobType type : new JobType[] {JobType.Approve, JobType.Reject, JobType.Deploy, JobType.Retire}) {
            String name = "v8-" + type.name().toLowerCase();
            ModelJob job = modelJob(name, type, "churn-v8").build();
            job.getSpec().setReason("metrics are good");
            client.resource(job).create();

            ModelJob failed = awaitCondition(client, name, "Failed");
            var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
            assertEquals("OutOfOrder", condition.getReason());
            assertTrue(condition.getMessage().startsWith("ModelVersion churn-v8 is "), condition.getMessage());
            assertTrue(condition.getMessage().endsWith("; nothing changed"), condition.getMessage());
            assertNull(client.batch().v1().jobs().withName(name).get(), "no pod runs for " + type);
        }
    }

    @Test
    void aStepWithNoImageAnywhereFailsSayingWhereToSetOne() {
        client.resource(ModelJobs.version("churn-v9")).create();
        modelJob("v9-score", JobType.BatchPrediction, "churn-v9").create(client);

        ModelJob failed = awaitCondition(client, "v9-score", "Failed");
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("NoImage", condition.getReason());
        assertEquals("no image for the BatchPrediction step: set spec.template.image, the image of the ModelVersion's"
                + " step, or the operator's setting modelops.jobs.runner-image", condition.getMessage());
    }

    @Test
    void aTemplateTheApiServerRefusesFailsTheJobWithTheServersMessage() {
        client.resource(ModelJobs.version("churn-v10")).create();
        ContainerTemplate template = new ContainerTemplate();
        template.setResources(new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("2Gi"))
                .addToLimits("memory", new Quantity("1Gi")).build());
        modelJob("v10-train", JobType.Train, "churn-v10").template(template).create(client);

        ModelJob failed = awaitCondition(client, "v10-train", "Failed");
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed").orElseThrow();
        assertEquals("JobRejected", condition.getReason());
        assertEquals("the API server refused the Job: Job.batch \"v10-train\" is invalid: "
                + "spec.template.spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or "
                + "equal to memory limit of 1Gi", condition.getMessage());
        assertNull(failed.getStatus().getJobName());
    }

    @Test
    void aJobNameTakenByAnotherJobKeepsTheModelJobWaitingAndLeavesTheOtherJobAlone() {
        client.resource(ModelJobs.version("churn-v11")).create();
        client.batch().v1().jobs().resource(new JobBuilder().withNewMetadata().withName("v11-train").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
                .withName("main").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build()).create();
        String theirs = client.batch().v1().jobs().withName("v11-train").get().getMetadata().getUid();

        modelJob("v11-train", JobType.Train, "churn-v11").create(client);

        ModelJob waiting = await().until(() -> get(client, "v11-train"), job -> job.getStatus() != null
                && Conditions.find(job.getStatus().getConditions(), "Started")
                        .map(c -> c.getReason().equals("JobNameTaken")).orElse(false));
        assertEquals(JobPhase.Pending, waiting.getStatus().getPhase());
        assertEquals("a Job named v11-train exists and does not belong to this ModelJob; delete it (kubectl delete job"
                + " v11-train) and this ModelJob starts", waiting.getStatus().getMessage());
        assertNull(waiting.getStatus().getJobName());
        assertEquals(theirs, client.batch().v1().jobs().withName("v11-train").get().getMetadata().getUid());
    }
}
