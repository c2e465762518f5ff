package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static dev.modelops.modelversion.Versions.awaitEnded;
import static dev.modelops.modelversion.Versions.awaitStage;
import static dev.modelops.modelversion.Versions.request;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly one champion per model at every moment a client can observe: a watch sees every write of every version
 * in the API server's order, and never two versions of one model that both say they are the champion.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class ChampionTest {

    @InjectSandbox
    KubernetesClient client;

    private final Map<String, Set<String>> championsByModel = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private Watch watch;

    @BeforeEach
    void watchChampions() {
        watch = client.resources(ModelVersion.class).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ModelVersion version) {
                Set<String> champions = championsByModel.computeIfAbsent(version.getSpec().getModel(),
                        model -> ConcurrentHashMap.newKeySet());
                boolean champion = action != Action.DELETED && version.getStatus() != null
                        && Boolean.TRUE.equals(version.getStatus().getChampion());
                if (champion) {
                    champions.add(version.getMetadata().getName());
                } else {
                    champions.remove(version.getMetadata().getName());
                }
                if (champions.size() > 1) {
                    violations.add("at resourceVersion " + version.getMetadata().getResourceVersion()
                            + " model " + version.getSpec().getModel() + " had champions " + champions);
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
    void deployingANewVersionRetiresThePreviousChampion() {
        Versions.trained("hand-v1", "hand", 0.90).automatic("metrics.auc >= 0.85").deployAutomatically().create(client);
        awaitStage(client, "hand-v1", Stage.Deployed);

        Versions.trained("hand-v2", "hand", 0.93).automatic("metrics.auc >= 0.85",
                "!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01").deployAutomatically()
                .create(client);
        ModelVersion v2 = awaitStage(client, "hand-v2", Stage.Deployed);
        ModelVersion v1 = awaitStage(client, "hand-v1", Stage.Retired);

        assertTrue(v2.getStatus().getChampion());
        assertEquals(false, v1.getStatus().getChampion());
        String retire = v1.getStatus().getJobs().getRetire();
        assertEquals("hand-v1-retire-1", retire);
        ModelJob retired = awaitEnded(client, retire);
        assertEquals("superseded by hand-v2", retired.getSpec().getReason());
        assertEquals(JobPhase.Succeeded, retired.getStatus().getPhase());
        assertTrue(v2.getStatus().getApproval().getReason().contains("champion.metrics.auc = 0.9"),
                v2.getStatus().getApproval().getReason());
        assertEquals("hand-v2", client.configMaps().withName("modelops-champion-hand").get().getData().get("champion"));
        assertEquals(List.of(), violations);
    }

    @Test
    void ofDeploysRacingForOneModelEachTakesItsTurnAndOneChampionRemains() {
        List<String> names = IntStream.rangeClosed(1, 3).mapToObj(i -> "racer-v" + i).toList();
        names.forEach(name -> Versions.trained(name, "racer", 0.9).automatic("metrics.auc >= 0.85").create(client));
        names.forEach(name -> awaitStage(client, name, Stage.Approved));

        names.parallelStream().forEach(name -> request(client, name + "-deploy", JobType.Deploy, name, null));

        names.forEach(name -> assertEquals(JobPhase.Succeeded, awaitEnded(client, name + "-deploy").getStatus().getPhase(),
                () -> name + "-deploy: " + Versions.job(client, name + "-deploy").getStatus().getMessage()));
        await().until(() -> names.stream().map(name -> Versions.get(client, name).getStatus().getStage())
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

    @Test
    void aRetireModelJobTakesTheChampionOutOfProduction() {
        Versions.trained("gone-v1", "gone", 0.9).automatic("metrics.auc >= 0.85").deployAutomatically().create(client);
        awaitStage(client, "gone-v1", Stage.Deployed);

        request(client, "gone-v1-retire", JobType.Retire, "gone-v1", "the churn campaign ended");
        ModelVersion retired = awaitStage(client, "gone-v1", Stage.Retired);

        assertEquals(false, retired.getStatus().getChampion());
        ModelVersionLifecycleTest.assertCondition(retired, "Retired", dev.modelops.api.v1alpha1.ConditionStatus.True,
                "Retired");
        assertEquals(JobPhase.Succeeded, awaitEnded(client, "gone-v1-retire").getStatus().getPhase());
        await().until(() -> client.configMaps().withName("modelops-champion-gone").get().getData().get("champion")
                .isEmpty());
        assertEquals(4, client.resources(ModelJob.class).withLabel("modelops.dev/model-version", "gone-v1").list()
                .getItems().size(), "train, evaluate, approval and deploy stay as history");
    }
}
