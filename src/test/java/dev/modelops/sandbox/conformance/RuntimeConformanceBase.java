package dev.modelops.sandbox.conformance;

import dev.modelops.testing.SimulatedClusterTest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

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
abstract class RuntimeConformanceBase extends SimulatedClusterTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();

    /** A pod of no controller, of one container {@code main}, with the given sandbox annotations. */
    static Pod pod(String name, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("trainer:1").endContainer().endSpec().build();
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

    Optional<JobCondition> condition(String job, String type) {
        Job j = job(job);
        return j == null || j.getStatus() == null ? Optional.empty() : j.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type) && c.getStatus().equals("True")).findFirst();
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
