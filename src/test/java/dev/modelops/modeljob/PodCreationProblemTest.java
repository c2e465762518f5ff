package dev.modelops.modeljob;

import dev.modelops.testing.EmbeddedCluster;
import dev.modelops.testing.TestJobSettings;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Why a Job creates no pod, as the operator reads it from the API server: the Job controller's latest FailedCreate
 * Event about that Job (this uid), not one of another object.
 */
class PodCreationProblemTest {

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    @Test
    void theLatestFailedCreateEventOfTheJobSaysWhy() {
        Job job = job("score-1");
        failedCreate(job, "score-1.1", "2026-12-02T10:00:00Z", "Error creating: pods is forbidden: old");
        failedCreate(job, "score-1.2", "2026-12-02T10:05:00Z",
                "Error creating: pods \"score-1-x\" is forbidden: exceeded quota: compute");
        Job other = job("score-2");
        failedCreate(other, "score-2.1", "2026-12-02T10:09:00Z", "Error creating: not this one");

        try (KubernetesClient operator = CLUSTER.server().newClient("modelops-operator/test")) {
            JobLauncher launcher = new JobLauncher(new PodTemplates(TestJobSettings.defaults()));
            assertEquals(Optional.of("Error creating: pods \"score-1-x\" is forbidden: exceeded quota: compute"),
                    launcher.podCreationProblem(job, operator));
        }
    }

    private static Job job(String name) {
        return CLUSTER.client().batch().v1().jobs().resource(new JobBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("score:1").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
    }

    private static void failedCreate(Job job, String name, String at, String message) {
        CLUSTER.client().v1().events().resource(new EventBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewInvolvedObject().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata()
                        .getName()).withNamespace(job.getMetadata().getNamespace()).withUid(job.getMetadata().getUid())
                .endInvolvedObject().withReason("FailedCreate").withType("Warning").withMessage(message)
                .withFirstTimestamp(at).withLastTimestamp(at).withNewSource().withComponent("job-controller")
                .endSource().build()).create();
    }
}
