package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.modeljob.ModelJobReconciler;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator stops in the middle of versions' walks and a new one takes over: every version reaches Deployed and
 * no step ran twice (one ModelJob and one batch Job per step). Its own profile, because it stops the operator.
 */
@QuarkusTest
@TestProfile(VersionRestartTest.Restarting.class)
@QuarkusTestResource(SandboxResource.class)
class VersionRestartTest {

    /** The stopped operator leaves the client open, so that its configuration can start a new one. */
    public static class Restarting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.close-client-on-stop", "false");
        }
    }

    private static final int VERSIONS = 12;

    @InjectSandbox
    KubernetesClient client;

    @Inject
    Operator operator;

    @Inject
    ModelJobReconciler modelJobs;

    @Inject
    ModelVersionReconciler modelVersions;

    @Test
    void aRestartMidWalkRunsNoStepTwice() {
        List<String> names = IntStream.range(0, VERSIONS).mapToObj(i -> "walk" + (i % 4) + "-v" + i).toList();
        names.forEach(name -> Versions.trained(name, name.substring(0, 5), 0.9).trainingTakes("1500ms")
                .automatic("metrics.auc >= 0.85").deployAutomatically().create(client));
        await().until(() -> names.stream().map(name -> Versions.get(client, name).getStatus())
                .allMatch(status -> status != null && status.getStage() == Stage.Training));

        operator.stop();
        Operator restarted = new Operator(operator.getConfigurationService());
        restarted.register(modelJobs);
        restarted.register(modelVersions);
        restarted.start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                List<ModelVersion> versions = names.stream().map(name -> Versions.get(client, name)).toList();
                Map<String, Long> championsByModel = versions.stream()
                        .filter(v -> Boolean.TRUE.equals(v.getStatus().getChampion()))
                        .collect(Collectors.groupingBy(v -> v.getSpec().getModel(), Collectors.counting()));
                return championsByModel.size() == 4 && championsByModel.values().stream().allMatch(n -> n == 1)
                        && versions.stream().allMatch(v -> v.getStatus().getStage() == Stage.Deployed
                        || v.getStatus().getStage() == Stage.Retired);
            });
        } finally {
            restarted.stop();
        }
        for (String name : names) {
            Map<JobType, List<String>> steps = new TreeMap<>(client.resources(ModelJob.class)
                    .withLabel("modelops.dev/model-version", name).list().getItems().stream()
                    .collect(Collectors.groupingBy(job -> job.getSpec().getType(),
                            Collectors.mapping(job -> job.getMetadata().getName(), Collectors.toList()))));
            assertEquals(List.of(name + "-train-1"), steps.get(JobType.Train), name + ": " + steps);
            assertEquals(List.of(name + "-evaluate-1"), steps.get(JobType.Evaluate), name + ": " + steps);
            assertEquals(List.of(name + "-approval-1"), steps.get(JobType.Approve), name + ": " + steps);
            assertEquals(List.of(name + "-deploy-1"), steps.get(JobType.Deploy), name + ": " + steps);
            List<Job> batchJobs = client.batch().v1().jobs().withLabel("modelops.dev/model-version", name).list()
                    .getItems();
            assertEquals(2, batchJobs.size(), name + ": one batch Job for Train, one for Evaluate");
            assertTrue(steps.getOrDefault(JobType.Retire, List.of()).size() <= 1, name + ": " + steps);
        }
    }
}
