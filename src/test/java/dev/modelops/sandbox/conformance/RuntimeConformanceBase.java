package dev.modelops.sandbox.conformance;

import dev.modelops.sandbox.runtime.ManualClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.runtime.SimulatedContainerRuntime;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/** The embedded API server with the simulated runtime on a manual clock, as the conformance tests drive them. */
abstract class RuntimeConformanceBase {

    static final Duration WAIT = Duration.ofSeconds(10);

    EmbeddedApiServer server;
    KubernetesClient client;
    ManualClock clock;
    SimulatedCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startCluster() {
        server = EmbeddedApiServer.start(0);
        client = server.client();
        clock = ManualClock.atSystemTime();
        cluster = SimulatedCluster.start(server, clock, new SimulatedContainerRuntime(), Duration.ofMillis(20));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
        server.close();
    }

    /** A Job of one container {@code main} whose pods carry the given sandbox annotations. */
    static JobBuilder job(String name, Map<String, String> podAnnotations) {
        return new JobBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withBackoffLimit(0)
                .withNewTemplate().withNewMetadata().withAnnotations(podAnnotations).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("trainer:1").endContainer()
                .endSpec().endTemplate().endSpec();
    }

    /** A pod of no controller, of one container {@code main}, with the given sandbox annotations. */
    static Pod pod(String name, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("trainer:1").endContainer().endSpec().build();
    }

    Job create(Job job) {
        return client.batch().v1().jobs().resource(job).create();
    }

    Job job(String name) {
        return client.batch().v1().jobs().withName(name).get();
    }

    List<Pod> podsOf(String job) {
        return client.pods().withLabel("job-name", job).list().getItems();
    }

    Pod runningPodOf(String job) {
        await().atMost(WAIT).until(() -> podsOf(job).size() == 1 && "Running".equals(phase(podsOf(job).get(0))));
        return podsOf(job).get(0);
    }

    Pod running(String pod) {
        await().atMost(WAIT).until(() -> {
            Pod p = client.pods().withName(pod).get();
            return p != null && "Running".equals(phase(p));
        });
        return client.pods().withName(pod).get();
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    Optional<JobCondition> condition(String job, String type) {
        Job j = job(job);
        return j == null || j.getStatus() == null ? Optional.empty() : j.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type) && c.getStatus().equals("True")).findFirst();
    }

    boolean hasCondition(String job, String type, String reason) {
        return condition(job, type).filter(c -> reason == null || reason.equals(c.getReason())).isPresent();
    }

    List<Event> eventsAbout(String name) {
        return client.v1().events().list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    /** A plain GET of the server, for what a client library would hide: the status code and the body as sent. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
