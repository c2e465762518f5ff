package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.modeljob.ModelJobReconciler;
import dev.modelops.testing.OperatorUnderFaultsTest;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.modelops.modelversion.Versions.awaitEnded;
import static dev.modelops.modelversion.Versions.awaitStage;
import static dev.modelops.modelversion.Versions.request;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ModelVersions walk their lifecycle while the API server refuses, delays and cuts a tenth of the operator's
 * requests: each step runs once, and a watch that sees every write of every version never sees two champions.
 */
class VersionsUnderFaultsTest extends OperatorUnderFaultsTest {

    private static final Duration WALK = Duration.ofMinutes(3);

    private final Map<String, Set<String>> championsByModel = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private Watch watch;

    @Override
    protected void register(Operator operator, JobSettings settings) {
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
        operator.register(new ModelVersionReconciler(settings, Clock.systemUTC()));
    }

    @BeforeEach
    void watchChampions() {
        watch = client.resources(ModelVersion.class).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ModelVersion version) {
                Set<String> champions = championsByModel.computeIfAbsent(version.getSpec().getModel(),
                        model -> ConcurrentHashMap.newKeySet());
                if (action != Action.DELETED && version.getStatus() != null
                        && Boolean.TRUE.equals(version.getStatus().getChampion())) {
                    champions.add(version.getMetadata().getName());
                } else {
                    champions.remove(version.getMetadata().getName());
                }
                if (champions.size() > 1) {
                    violations.add("at resourceVersion " + version.getMetadata().getResourceVersion() + " model "
                            + version.getSpec().getModel() + " had champions " + champions);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @AfterEach
    void stopWatching() {
        watch.close();
    }

    @Test
    void aVersionIsDeployedThenReplacedByABetterOneAndTheModelHasOneChampion() {
        Versions.trained("steady-v1", "steady", 0.90).automatic("metrics.auc >= 0.85").deployAutomatically()
                .create(client);
        awaitStage(client, "steady-v1", Stage.Deployed, WALK);
        Versions.trained("steady-v2", "steady", 0.93).automatic("metrics.auc >= 0.85",
                "!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01").deployAutomatically()
                .create(client);

        ModelVersion v2 = awaitStage(client, "steady-v2", Stage.Deployed, WALK);
        ModelVersion v1 = awaitStage(client, "steady-v1", Stage.Retired, WALK);

        assertTrue(v2.getStatus().getChampion());
        assertEquals(false, v1.getStatus().getChampion());
        assertEquals(0.93, v2.getStatus().getMetrics().get("auc"));
        assertEquals("steady-v2", client.configMaps().withName("modelops-champion-steady").get().getData()
                .get("champion"));
        Set<String> eachStepOnce = Set.of("steady-v1-train-1", "steady-v1-evaluate-1", "steady-v1-approval-1",
                "steady-v1-deploy-1", "steady-v1-retire-1", "steady-v2-train-1", "steady-v2-evaluate-1",
                "steady-v2-approval-1", "steady-v2-deploy-1");
        // A Deploy or Retire ends once the controller sees the version record it, a moment after the stage changes.
        eachStepOnce.forEach(step -> Versions.awaitEnded(client, step));
        List<ModelJob> steps = client.resources(ModelJob.class).list().getItems();
        assertEquals(eachStepOnce, steps.stream().map(job -> job.getMetadata().getName())
                .collect(Collectors.toSet()), "each step once");
        steps.forEach(step -> assertEquals(JobPhase.Succeeded, step.getStatus().getPhase(),
                step.getMetadata().getName() + ": " + step.getStatus().getMessage()));
        Map<String, List<String>> jobsByModelJob = client.batch().v1().jobs().list().getItems().stream()
                .collect(Collectors.groupingBy(job -> job.getMetadata().getLabels().get("modelops.dev/model-job"),
                        Collectors.mapping((Job job) -> job.getMetadata().getUid(), Collectors.toList())));
        assertEquals(Set.of("steady-v1-train-1", "steady-v1-evaluate-1", "steady-v2-train-1", "steady-v2-evaluate-1"),
                jobsByModelJob.keySet(), "a Job for each compute step");
        jobsByModelJob.forEach((modelJob, uids) -> assertEquals(1, uids.size(), modelJob + " had one Job"));
        assertEquals(List.of(), violations);
        assertTrue(server.faultCounts().total() > 0, "faults were injected: " + server.faultCounts());
    }

    @Test
    void ofDeploysRacingForOneModelEachTakesItsTurnAndOneChampionRemains() {
        List<String> names = IntStream.rangeClosed(1, 3).mapToObj(i -> "racer-v" + i).toList();
        names.forEach(name -> Versions.trained(name, "racer", 0.9).automatic("metrics.auc >= 0.85").create(client));
        names.forEach(name -> awaitStage(client, name, Stage.Approved, WALK));

        names.parallelStream().forEach(name -> request(client, name + "-deploy", JobType.Deploy, name, null));
        await().atMost(WALK).until(() -> names.stream().map(name -> Versions.job(client, name + "-deploy"))
                .allMatch(job -> job.getStatus() != null && job.getStatus().getCompletionTime() != null));

        names.forEach(name -> assertEquals(JobPhase.Succeeded, awaitEnded(client, name + "-deploy").getStatus().getPhase(),
                () -> name + "-deploy: " + Versions.job(client, name + "-deploy").getStatus().getMessage()));
        await().atMost(WALK).until(() -> names.stream().map(name -> Versions.get(client, name).getStatus().getStage())
                .filter(stage -> stage == Stage.Deployed).count() == 1
                && names.stream().map(name -> Versions.get(client, name).getStatus().getStage())
                .filter(stage -> stage == Stage.Retired).count() == 2);
        List<ModelVersion> champions = names.stream().map(name -> Versions.get(client, name))
                .filter(v -> Boolean.TRUE.equals(v.getStatus().getChampion())).toList();
        assertEquals(1, champions.size());
        assertEquals(champions.get(0).getMetadata().getName(),
                client.configMaps().withName("modelops-champion-racer").get().getData().get("champion"));
        assertEquals(List.of(), violations);
    }
}
