package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watches that start from a resourceVersion, as the API server serves them (docs: reference/using-api/api-concepts.md
 * "Efficient detection of changes", "Watch bookmarks", "410 Gone responses"; staging/src/k8s.io/apiserver/pkg/storage/
 * cacher/watch_cache.go).
 */
class WatchConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HISTORY = 50;

    private EmbeddedApiServer server;
    private KubernetesClient client;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<InputStream> streams = new ArrayList<>();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start(0, HISTORY);
        client = server.client();
    }

    @AfterEach
    void stop() throws IOException {
        for (InputStream stream : streams) {
            stream.close();
        }
        server.close();
    }

    // api-concepts.md: a watch from a resourceVersion gets every change after it, modifications and deletions
    // included, not only the objects that exist now
    @Test
    void aWatchFromAResourceVersionReplaysEveryChangeAfterItDeletesIncluded() throws Exception {
        client.configMaps().resource(configMap("a", "1")).create();
        String from = client.configMaps().list().getMetadata().getResourceVersion();
        client.configMaps().withName("a").edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("v", "2")).build());
        client.configMaps().withName("a").delete();
        client.configMaps().resource(configMap("b", "1")).create();

        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + from);

        assertEquals("MODIFIED a 2", describe(next(events)));
        JsonNode deleted = next(events);
        assertEquals("DELETED a 2", describe(deleted));
        assertTrue(Long.parseLong(deleted.path("object").path("metadata").path("resourceVersion").asText())
                > Long.parseLong(from), "a deletion carries a resourceVersion of its own");
        assertEquals("ADDED b 1", describe(next(events)));
    }

    // watch_cache.go / cacher.go (watchCacheEvent: an object that stops passing the watch's selectors is DELETED for
    // it, with its previous state at the new resourceVersion; one that starts passing them is ADDED), live and replayed
    @Test
    void anObjectThatLeavesOrEntersAWatchsLabelSelectorIsDeletedOrAddedForIt() throws Exception {
        client.configMaps().resource(configMap("seed", "0")).create();
        String from = client.configMaps().list().getMetadata().getResourceVersion();
        String selected = "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=role%3Dtrain&resourceVersion=";
        BlockingQueue<JsonNode> live = watch(selected + from);

        client.configMaps().resource(new ConfigMapBuilder(configMap("a", "1")).editMetadata()
                .addToLabels("role", "train").endMetadata().build()).create();
        client.configMaps().withName("a").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                .addToLabels("role", "serve").endMetadata().withData(Map.of("v", "2")).build());
        client.configMaps().withName("a").edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("v", "3")).build());
        client.configMaps().withName("a").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                .addToLabels("role", "train").endMetadata().withData(Map.of("v", "4")).build());
        String last = client.configMaps().withName("a").get().getMetadata().getResourceVersion();

        for (BlockingQueue<JsonNode> events : List.of(live, watch(selected + from))) {
            assertEquals("ADDED a 1", describe(next(events)));
            JsonNode left = next(events);
            assertEquals("DELETED a 1", describe(left), "its state before the change");
            assertEquals("train", left.path("object").path("metadata").path("labels").path("role").asText());
            assertTrue(Long.parseLong(left.path("object").path("metadata").path("resourceVersion").asText())
                    > Long.parseLong(from));
            JsonNode back = next(events);
            assertEquals("ADDED a 4", describe(back), "v=3 was never the watch's to see");
            assertEquals(last, back.path("object").path("metadata").path("resourceVersion").asText());
        }
    }

    // api-concepts.md "Watch bookmarks": with allowWatchBookmarks=true the server sends BOOKMARK events that carry
    // only the kind and the resourceVersion reached
    @Test
    void aWatchThatAllowsBookmarksGetsABookmarkOfTheCurrentResourceVersion() throws Exception {
        client.configMaps().resource(configMap("a", "1")).create();
        String from = client.configMaps().list().getMetadata().getResourceVersion();
        client.configMaps().resource(configMap("b", "1")).create();
        String now = client.configMaps().list().getMetadata().getResourceVersion();

        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true"
                + "&resourceVersion=" + from);

        assertEquals("ADDED b 1", describe(next(events)));
        JsonNode bookmark = next(events);
        assertEquals("BOOKMARK", bookmark.path("type").asText());
        assertEquals("ConfigMap", bookmark.path("object").path("kind").asText());
        assertEquals(now, bookmark.path("object").path("metadata").path("resourceVersion").asText());
    }

    // api-concepts.md "410 Gone responses": a watch from a version older than the server keeps gets an ERROR event
    // with a Status of code 410 (reason Expired), and fabric8 closes the watch with HTTP_GONE
    @Test
    void aWatchFromAVersionNoLongerKeptGetsGone() throws Exception {
        client.configMaps().resource(configMap("first", "0")).create();
        String from = client.configMaps().list().getMetadata().getResourceVersion();
        for (int i = 0; i < HISTORY + 5; i++) {
            client.configMaps().resource(configMap("cm-" + i, "0")).create();
        }

        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + from);
        JsonNode error = next(events);
        assertEquals("ERROR", error.path("type").asText());
        assertEquals(410, error.path("object").path("code").asInt());
        assertEquals("Expired", error.path("object").path("reason").asText());
        assertTrue(error.path("object").path("message").asText().startsWith("too old resource version: " + from));

        AtomicReference<WatcherException> closed = new AtomicReference<>();
        var watch = client.configMaps().withResourceVersion(from).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.set(cause);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> closed.get() != null);
            assertTrue(closed.get().isHttpGone());
        } finally {
            watch.close();
        }
    }

    private BlockingQueue<JsonNode> watch(String path) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        streams.add(response.body());
        BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        events.add(JSON.readTree(line));
                    }
                }
            } catch (IOException e) {
                // the stream was closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    private static JsonNode next(BlockingQueue<JsonNode> events) throws InterruptedException {
        JsonNode event = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(event, "no event within 10 s");
        return event;
    }

    private static String describe(JsonNode event) {
        return event.path("type").asText() + " " + event.path("object").path("metadata").path("name").asText() + " "
                + event.path("object").path("data").path("v").asText();
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(Map.of("v", value)).build();
    }
}
