package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded API server answers the chosen client's requests with the faults of its plan, as a real API server
 * would say them, and everyone else's truthfully; what fabric8 makes of each answer.
 */
class FaultInjectionTest {

    private static final String OPERATOR = "modelops-operator/test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedApiServer server;
    private KubernetesClient user;
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start(0);
        user = client("test-user/1");
        user.resource(configMap("settings", "1")).create();
    }

    @AfterEach
    void stop() {
        clients.forEach(KubernetesClient::close);
        server.close();
    }

    @Test
    void a429CarriesRetryAfterAndOnlyTheChosenClientGetsIt() throws Exception {
        server.faults(FaultPlan.seeded(1, 1.0).only(FaultKind.TOO_MANY_REQUESTS));

        HttpResponse<String> refused = get(OPERATOR, "/api/v1/namespaces/default/configmaps/settings");
        assertEquals(429, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
        JsonNode status = JSON.readTree(refused.body());
        assertEquals("Status", status.path("kind").asText());
        assertEquals("TooManyRequests", status.path("reason").asText());
        assertEquals(1, status.path("details").path("retryAfterSeconds").asInt());

        assertEquals(200, get("modelops-sandbox/1", "/api/v1/namespaces/default/configmaps/settings").statusCode());
        assertEquals(200, get("kubectl/v1.32.0", "/api/v1/namespaces/default/configmaps/settings").statusCode());
        assertEquals(200, get(OPERATOR, "/version").statusCode(), "discovery and version are never faulted");
        assertEquals(1, server.faultCounts().count(FaultKind.TOO_MANY_REQUESTS));
        assertEquals(1, server.faultCounts().total());
    }

    @Test
    void aConflictIsAStatusOfAStaleResourceVersionAndTheWriteIsNotPerformed() throws Exception {
        server.faults(FaultPlan.seeded(1, 1.0).only(FaultKind.CONFLICT));
        String version = user.configMaps().withName("settings").get().getMetadata().getResourceVersion();

        HttpResponse<String> refused = send(OPERATOR, "PATCH", "/api/v1/namespaces/default/configmaps/settings",
                "{\"metadata\":{\"resourceVersion\":\"" + version + "\"},\"data\":{\"value\":\"2\"}}");

        assertEquals(409, refused.statusCode());
        JsonNode status = JSON.readTree(refused.body());
        assertEquals("Conflict", status.path("reason").asText());
        assertEquals("Operation cannot be fulfilled on configmaps \"settings\": the object has been modified; please "
                + "apply your changes to the latest version and try again", status.path("message").asText());
        ConfigMap unchanged = user.configMaps().withName("settings").get();
        assertEquals("1", unchanged.getData().get("value"));
        assertEquals(version, unchanged.getMetadata().getResourceVersion());

        HttpResponse<String> unconditional = send(OPERATOR, "PATCH", "/api/v1/namespaces/default/configmaps/settings",
                "{\"data\":{\"value\":\"3\"}}");
        assertEquals(200, unconditional.statusCode(), "a patch without a resourceVersion cannot conflict");
        assertEquals(201, send(OPERATOR, "POST", "/api/v1/namespaces/default/configmaps",
                JSON.writeValueAsString(configMap("fresh", "1"))).statusCode(), "nor can a create");
        assertEquals(1, server.faultCounts().count(FaultKind.CONFLICT));
    }

    @Test
    void a500OrA503IsAStatusAndTheCreateIsNotPerformed() throws Exception {
        server.faults(FaultPlan.seeded(1, 1.0).only(FaultKind.INTERNAL_ERROR));
        HttpResponse<String> internal = send(OPERATOR, "POST", "/api/v1/namespaces/default/configmaps",
                JSON.writeValueAsString(configMap("first", "1")));
        server.faults(FaultPlan.seeded(1, 1.0).only(FaultKind.SERVICE_UNAVAILABLE));
        HttpResponse<String> unavailable = send(OPERATOR, "POST", "/api/v1/namespaces/default/configmaps",
                JSON.writeValueAsString(configMap("second", "1")));

        assertEquals(500, internal.statusCode());
        assertEquals("InternalError", JSON.readTree(internal.body()).path("reason").asText());
        assertEquals(503, unavailable.statusCode());
        assertEquals("ServiceUnavailable", JSON.readTree(unavailable.body()).path("reason").asText());
        assertNull(user.configMaps().withName("first").get());
        assertNull(user.configMaps().withName("second").get());
        assertEquals(1, server.faultCounts().count(FaultKind.INTERNAL_ERROR));
        assertEquals(1, server.faultCounts().count(FaultKind.SERVICE_UNAVAILABLE));
    }

    @Test
    void aSlowAnswerComesAfterThePlannedDelay() throws Exception {
        FaultPlan plan = FaultPlan.seeded(5, 1.0).only(FaultKind.SLOW);
        Duration planned = plan.decide(0, Set.of(FaultKind.SLOW)).orElseThrow().delay();
        server.faults(plan);

        long started = System.nanoTime();
        HttpResponse<String> answer = get(OPERATOR, "/api/v1/namespaces/default/configmaps/settings");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(200, answer.statusCode());
        assertEquals("1", JSON.readTree(answer.body()).path("data").path("value").asText());
        assertTrue(took.compareTo(planned) >= 0, "took " + took + ", planned " + planned);
        assertEquals(1, server.faultCounts().count(FaultKind.SLOW));
    }

    /**
     * fabric8 tries a request again after a 5xx or a 429 (requestRetryBackoffLimit, 3 for these clients, 10 by
     * default), so its caller never sees them. It waits its own backoff (100 ms, doubling) and not the 429's
     * Retry-After: in 7.4 {@code AsyncUtils.retryWithExponentialBackoff} computes the wait from the header and then
     * schedules the backoff interval.
     */
    @Test
    void fabric8RetriesA503AndA429AndItsCallerSeesTheAnswer() {
        FaultPlan plan = seedWhoseFirstTwoDecisionsAre(FaultKind.SERVICE_UNAVAILABLE, FaultKind.TOO_MANY_REQUESTS);
        server.faults(plan);

        assertEquals("1", client(OPERATOR).configMaps().withName("settings").get().getData().get("value"));

        assertEquals(1, server.faultCounts().count(FaultKind.SERVICE_UNAVAILABLE));
        assertEquals(1, server.faultCounts().count(FaultKind.TOO_MANY_REQUESTS));
        assertEquals(3, server.requests().snapshot("modelops-operator").count("get", "configmaps"));
    }

    @Test
    void anInformerWhoseWatchesAreCutWatchesAgainAndSeesEveryChange() {
        server.faults(FaultPlan.seeded(11, 1.0).only(FaultKind.WATCH_CLOSE));
        int objects = 3;
        int rounds = 10;
        IntStream.range(0, objects).forEach(i -> user.resource(configMap("cm-" + i, "0")).create());
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        SharedIndexInformer<ConfigMap> informer = client(OPERATOR).configMaps().inNamespace("default")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap added) {
                        record(added);
                    }

                    @Override
                    public void onUpdate(ConfigMap before, ConfigMap after) {
                        if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                            record(after);
                        }
                    }

                    @Override
                    public void onDelete(ConfigMap deleted, boolean unknownFinalState) {
                    }

                    private void record(ConfigMap configMap) {
                        seen.computeIfAbsent(configMap.getMetadata().getName(), name -> new CopyOnWriteArrayList<>())
                                .add(configMap.getData().get("value"));
                    }
                });
        try {
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < objects; i++) {
                    user.resource(configMap("cm-" + i, Integer.toString(round))).update();
                }
            }
            List<String> every = IntStream.rangeClosed(0, rounds).mapToObj(Integer::toString).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.range(0, objects)
                    .allMatch(i -> every.equals(seen.get("cm-" + i))));
        } finally {
            informer.close();
        }
        long cuts = server.faultCounts().count(FaultKind.WATCH_CLOSE);
        long watches = server.requests().snapshot("modelops-operator").count("watch", "configmaps");
        assertTrue(cuts >= 2 && watches >= cuts, cuts + " watches cut of " + watches);
    }

    /** kubectl's watches are HTTP streams: a cut one ends its chunked response after the planned events. */
    @Test
    void aWatchStreamEndsCleanlyAfterItsPlannedEvents() throws Exception {
        IntStream.range(0, 30).forEach(i -> user.resource(configMap("cm-" + i, "0")).create());
        FaultPlan plan = FaultPlan.seeded(3, 1.0).only(FaultKind.WATCH_CLOSE);
        FaultDecision planned = plan.decide(0, Set.of(FaultKind.WATCH_CLOSE)).orElseThrow();
        server.faults(plan);

        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/v1/namespaces/default/configmaps?watch=true")).header("User-Agent", OPERATOR).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> events = stream.body().toList();

        assertEquals(200, stream.statusCode());
        assertEquals(planned.events(), events.size(), "the stream ended after the planned events: " + planned);
        assertTrue(events.stream().allMatch(event -> event.startsWith("{\"type\":\"ADDED\"")), events.toString());
        assertEquals(1, server.faultCounts().count(FaultKind.WATCH_CLOSE));
    }

    private static FaultPlan seedWhoseFirstTwoDecisionsAre(FaultKind first, FaultKind second) {
        Set<FaultKind> read = Set.of(FaultKind.TOO_MANY_REQUESTS, FaultKind.INTERNAL_ERROR,
                FaultKind.SERVICE_UNAVAILABLE, FaultKind.SLOW);
        return LongStream.range(0, 100_000).mapToObj(seed -> FaultPlan.seeded(seed, 0.5).only(first, second))
                .filter(plan -> plan.decide(0, read).map(FaultDecision::kind).orElse(null) == first
                        && plan.decide(1, read).map(FaultDecision::kind).orElse(null) == second
                        && plan.decide(2, read).isEmpty())
                .findFirst().orElseThrow();
    }

    private HttpResponse<String> get(String userAgent, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("User-Agent", userAgent)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String userAgent, String method, String path, String body) throws Exception {
        String type = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("User-Agent", userAgent)
                .header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private KubernetesClient client(String userAgent) {
        KubernetesClient client = server.newClient(userAgent);
        clients.add(client);
        return client;
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("value", value).build();
    }
}
