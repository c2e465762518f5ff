package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.sandbox.server.PodLogSource;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logs ConfigMap is written once, so it is written only with every log that exists: a log the API server cannot
 * give for now (its kubelet unreachable: 500) is tried again later, never kept missing for good.
 */
class LogKeepingTest {

    private EmbeddedApiServer server;
    private KubernetesClient client;
    private final AtomicBoolean kubeletReachable = new AtomicBoolean();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start(0);
        client = server.newClient("modelops-operator/test");
        server.podLogs((namespace, pod, container, previous) -> {
            if (!kubeletReachable.get()) {
                throw new IllegalStateException("dial tcp 10.0.0.7:10250: connect: connection refused");
            }
            return Optional.of(PodLogSource.PodLog.ofText("epoch 1\nepoch 2\n", Instant.now()));
        });
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aLogThatCannotBeReadNowIsNotKeptMissingButReadAgainLater() {
        ModelJob modelJob = ModelJobs.modelJob("train-logs", JobType.Train, "churn-v3").create(client);
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withName("train-logs-x7k2p").endMetadata()
                .withNewSpec().addNewContainer().withName(PodTemplates.CONTAINER).withImage("trainer:1").endContainer()
                .endSpec().build()).create();
        LogArchive archive = new LogArchive(client, 1024);

        KeptLogs unreadable = archive.keep(modelJob, List.of(pod));

        assertTrue(unreadable.ref().isEmpty());
        assertTrue(unreadable.worthRetrying(), "tried again");
        assertTrue(unreadable.problem().orElseThrow().startsWith("the log of pod train-logs-x7k2p could not be read"),
                unreadable.problem().orElseThrow());
        assertNull(client.configMaps().withName("train-logs-logs").get(), "nothing kept yet");

        kubeletReachable.set(true);
        KeptLogs kept = archive.keep(modelJob, List.of(pod));

        assertEquals("train-logs-logs", kept.ref().orElseThrow().getConfigMap());
        assertEquals("epoch 1\nepoch 2\n", client.configMaps().withName("train-logs-logs").get().getData()
                .get("train-logs-x7k2p.log"));
    }
}
