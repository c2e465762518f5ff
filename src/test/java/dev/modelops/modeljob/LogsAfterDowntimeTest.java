package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.sandbox.server.PodLogSource;
import dev.modelops.testing.EmbeddedCluster;
import dev.modelops.testing.PlainOperators;
import dev.modelops.testing.TestJobSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job that ended while no operator ran: the operator that comes back more than a minute later still tries again
 * to keep a log it could not read at once. Under the chaos suite an operator down for long gave up at the first
 * failure, because the minute was counted from the Job's end.
 */
class LogsAfterDowntimeTest {

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.withRuntime();

    private Operator operator;
    private KubernetesClient operatorClient;

    private void startOperator(Clock clock) {
        operatorClient = CLUSTER.server().newClient("modelops-operator/test");
        var settings = TestJobSettings.defaults();
        operator = PlainOperators.create(operatorClient, settings, overrider -> { });
        operator.register(new ModelJobReconciler(settings, clock));
        operator.start();
    }

    private void stopOperator() {
        operator.stop();
        operatorClient.close();
        operator = null;
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            stopOperator();
        }
    }

    @Test
    void anOperatorBackLongAfterAJobEndedTriesAgainToKeepItsLog() {
        KubernetesClient client = CLUSTER.client();
        client.resource(ModelJobs.version("v-downtime")).create();
        startOperator(Clock.systemUTC());
        modelJob("downtime", JobType.Evaluate, "v-downtime").runs("3s").logs("epoch 1\n").create(client);
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(client) == JobPhase.Running);
        stopOperator();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.batch().v1().jobs().withName("downtime").get()
                .getStatus().getSucceeded() != null);
        // The kubelet cannot serve the log at first, and the operator comes back two minutes after the Job's end.
        AtomicInteger reads = new AtomicInteger();
        CLUSTER.server().podLogs((namespace, pod, container, previous) -> Optional.of(reads.getAndIncrement() == 0
                ? PodLogSource.PodLog.refused("the kubelet is restarting")
                : PodLogSource.PodLog.ofText("epoch 1\n", Instant.now())));

        startOperator(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));

        await().atMost(Duration.ofSeconds(30)).until(() -> phase(client) == JobPhase.Succeeded);
        ModelJob done = client.resources(ModelJob.class).withName("downtime").get();
        assertTrue(done.getStatus().getTimeline().stream().map(TimelineEntry::getReason)
                .noneMatch("LogsNotKept"::equals), "its log is kept after the second read");
        assertEquals("downtime-logs", done.getStatus().getLogs().getConfigMap());
        String pod = done.getStatus().getPodNames().get(0);
        assertEquals(Map.of(pod + ".log", "epoch 1\n"), client.configMaps().withName("downtime-logs").get().getData());
    }

    private static JobPhase phase(KubernetesClient client) {
        ModelJob job = client.resources(ModelJob.class).withName("downtime").get();
        return job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
    }
}
