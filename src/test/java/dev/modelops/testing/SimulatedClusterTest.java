package dev.modelops.testing;

import dev.modelops.sandbox.runtime.ManualClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.runtime.SimulatedContainerRuntime;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A fresh API server and simulated runtime per test, on a manual clock that the test moves. */
public abstract class SimulatedClusterTest {

    protected static final Duration TICK = Duration.ofMillis(20);

    protected EmbeddedApiServer server;
    protected KubernetesClient client;
    protected ManualClock clock;
    protected SimulatedCluster cluster;

    @BeforeEach
    protected void startCluster() {
        server = EmbeddedApiServer.start(0);
        client = server.client();
        clock = ManualClock.atSystemTime();
        cluster = startRuntime();
    }

    protected SimulatedCluster startRuntime() {
        return SimulatedCluster.start(server, clock, new SimulatedContainerRuntime(), TICK);
    }

    @AfterEach
    protected void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        OperatorRequests.keep(server);
        OperatorWorkloads.keep(server);
        server.close();
    }

    /** A Job whose pods carry the given sandbox annotations. */
    protected static JobBuilder job(String name, Map<String, String> podAnnotations) {
        return new JobBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withBackoffLimit(0)
                .withNewTemplate().withNewMetadata().withAnnotations(podAnnotations).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("trainer:1").endContainer()
                .endSpec().endTemplate().endSpec();
    }

    protected Job create(Job job) {
        return client.batch().v1().jobs().resource(job).create();
    }

    protected Job job(String name) {
        return client.batch().v1().jobs().withName(name).get();
    }

    protected List<Pod> podsOf(String job) {
        return client.pods().withLabel("job-name", job).list().getItems();
    }

    protected static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    protected boolean hasCondition(String job, String type, String reason) {
        Job j = job(job);
        return j != null && j.getStatus() != null && j.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True")
                        && (reason == null || reason.equals(c.getReason())));
    }
}
