package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.sandbox.server.PodLogSource;
import dev.modelops.testing.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logs ConfigMap is written once: a log that cannot be read for now (the API server faulty or busy, the kubelet
 * not serving a container that ran) must not leave it empty for good, as it did under the chaos suite's faults. A
 * pod that never started has no log to wait for.
 */
class UnreadLogTest {

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    @Test
    void aLogOfAContainerThatRanThatCannotBeReadYetIsReadAgainAndThenKept() {
        ModelJob job = modelJob("unread-ran", JobType.Train, "churn-v3").create(CLUSTER.client());
        Pod pod = pod("unread-ran-x2k9q", true);
        AtomicInteger reads = new AtomicInteger();
        CLUSTER.server().podLogs((namespace, name, container, previous) -> Optional.of(reads.getAndIncrement() == 0
                ? PodLogSource.PodLog.refused("container \"main\" in pod \"" + name + "\" is waiting to start")
                : PodLogSource.PodLog.ofText("epoch 1\nepoch 2\n", Instant.now())));
        LogArchive archive = new LogArchive(CLUSTER.client(), 4096);

        KeptLogs first = archive.keep(job, List.of(pod));

        assertTrue(first.ref().isEmpty() && first.worthRetrying(), first.toString());
        assertTrue(first.problem().orElseThrow().startsWith("the log of pod unread-ran-x2k9q could not be read"),
                first.problem().orElseThrow());
        assertNull(configMap("unread-ran-logs"), "nothing written while a log is unread");

        KeptLogs second = archive.keep(job, List.of(pod));

        assertEquals("unread-ran-logs", second.ref().orElseThrow().getConfigMap());
        assertEquals(Map.of("unread-ran-x2k9q.log", "epoch 1\nepoch 2\n"), configMap("unread-ran-logs").getData());
    }

    @Test
    void aPodWhoseContainerNeverStartedHasNoLogAndTheRestIsKeptAtOnce() {
        ModelJob job = modelJob("unread-never", JobType.Train, "churn-v3").create(CLUSTER.client());
        Pod pod = pod("unread-never-p8z7w", false);
        CLUSTER.server().podLogs((namespace, name, container, previous) -> Optional.of(
                PodLogSource.PodLog.refused("container \"main\" in pod \"" + name + "\" is waiting to start")));

        KeptLogs kept = new LogArchive(CLUSTER.client(), 4096).keep(job, List.of(pod));

        assertEquals("unread-never-logs", kept.ref().orElseThrow().getConfigMap());
        assertEquals(Map.of(), Optional.ofNullable(configMap("unread-never-logs").getData()).orElse(Map.of()),
                "no log, and nothing to wait for");
    }

    /** The pod, stored so that its log endpoint answers, and as the operator's cache shows it: ran, or never. */
    private static Pod pod(String name, boolean ran) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("trainer:1")
                .endContainer().endSpec().build();
        CLUSTER.client().pods().resource(pod).create();
        return ran ? new PodBuilder(pod).withNewStatus().withPhase("Succeeded").addNewContainerStatus()
                .withName("main").withNewState().withNewTerminated().withExitCode(0)
                .withStartedAt("2026-12-02T06:00:00Z").withFinishedAt("2026-12-02T06:00:05Z").endTerminated()
                .endState().endContainerStatus().endStatus().build()
                : new PodBuilder(pod).withNewStatus().withPhase("Pending").endStatus().build();
    }

    private static ConfigMap configMap(String name) {
        return CLUSTER.client().configMaps().withName(name).get();
    }
}
