package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The delete of one object as the API server does it (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/
 * store.go, pkg/registry/core/pod/strategy.go): the {@code propagationPolicy} (or legacy {@code orphanDependents}) of
 * the DeleteOptions, else the kind's default (Orphan for batch/v1 Jobs, Background for the rest); Orphan and Foreground
 * leave the object with a deletionTimestamp and the {@code orphan} or {@code foregroundDeletion} finalizer for the
 * garbage collector; a pod bound to a node is deleted gracefully: a deletionTimestamp {@code gracePeriodSeconds} ahead
 * (else the pod's {@code terminationGracePeriodSeconds}), and the kubelet removes it once its containers have ended.
 * With no garbage collector or kubelet attached (the server alone) deletes are immediate, as before.
 */
final class Deletions {

    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IndexedCrudStore store;
    private final Function<RecordedRequest, MockResponse> immediate;
    private volatile Set<String> collectedKinds = Set.of();
    private volatile boolean kubelet;

    /** @param immediate the store's own delete of the request */
    Deletions(IndexedCrudStore store, Function<RecordedRequest, MockResponse> immediate) {
        this.store = store;
        this.immediate = immediate;
    }

    /** A garbage collector handles the Orphan and Foreground finalizers of these kinds. */
    void collected(Set<String> kinds) {
        this.collectedKinds = Set.copyOf(kinds);
    }

    /** A kubelet removes the pods it has stopped. */
    void kubelet(boolean attached) {
        this.kubelet = attached;
    }

    /** Whether the request deletes one named object (not a collection). */
    static boolean single(String route) {
        String[] parts = route.split("/");
        // /api/v1/namespaces/ns/pods/name, /apis/g/v/namespaces/ns/kind/name, /api/v1/namespaces/name ...
        int base = route.startsWith("/api/") ? 3 : 4;
        int rest = parts.length - base;
        return rest == 2 || (rest == 4 && "namespaces".equals(parts[base]));
    }

    /** @param forStore the request as the store reads it (without the query) */
    MockResponse delete(RecordedRequest request, RecordedRequest forStore, String route) {
        MockResponse current = store.handleGet(route);
        if (current.code() != 200) {
            return immediate.apply(forStore);
        }
        JsonNode object;
        JsonNode options;
        try {
            object = JSON.readTree(current.getBody().readUtf8());
            String body = request.getUtf8Body();
            options = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return Responses.badRequest("the body is not valid JSON: " + e.getMessage());
        }
        Map<String, String> query = PodLogEndpoint.query(request.getPath().contains("?")
                ? request.getPath().substring(request.getPath().indexOf('?') + 1) : null);
        String kind = object.path("kind").asText();
        Long grace = options.hasNonNull("gracePeriodSeconds") ? Long.valueOf(options.get("gracePeriodSeconds").asLong())
                : query.containsKey("gracePeriodSeconds") ? Long.valueOf(query.get("gracePeriodSeconds")) : null;
        if (kubelet && "Pod".equals(kind) && graceful(object, grace)) {
            long seconds = grace != null ? grace : object.path("spec").path("terminationGracePeriodSeconds").asLong(30);
            return Responses.json(200, store.replace(route, pod -> markGraceful(pod, seconds)));
        }
        String policy = policy(options, query, object, route);
        if (!collectedKinds.contains(kind) || "Background".equals(policy)) {
            return immediate.apply(forStore);
        }
        String finalizer = "Orphan".equals(policy) ? ORPHAN : FOREGROUND;
        return Responses.json(200, store.replace(route, o -> markFor(o, finalizer)));
    }

    private static boolean graceful(JsonNode pod, Long grace) {
        String phase = pod.path("status").path("phase").asText();
        boolean bound = !pod.path("spec").path("nodeName").asText().isEmpty();
        return bound && !phase.equals("Succeeded") && !phase.equals("Failed") && (grace == null || grace > 0);
    }

    private static String policy(JsonNode options, Map<String, String> query, JsonNode object, String route) {
        if (options.hasNonNull("propagationPolicy")) {
            return options.get("propagationPolicy").asText();
        }
        if (query.containsKey("propagationPolicy")) {
            return query.get("propagationPolicy");
        }
        if (options.hasNonNull("orphanDependents")) {
            return options.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
        }
        if (object.path("metadata").path("finalizers").toString().contains("\"" + ORPHAN + "\"")) {
            return "Orphan";
        }
        // DefaultGarbageCollectionPolicy of the batch/v1 Job strategy: OrphanDependents, for compatibility
        return route.startsWith("/apis/batch/v1/") && "Job".equals(object.path("kind").asText()) ? "Orphan"
                : "Background";
    }

    private static GenericKubernetesResource markGraceful(GenericKubernetesResource pod, long seconds) {
        Long previous = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (pod.getMetadata().getDeletionTimestamp() == null || previous == null || seconds < previous) {
            pod.getMetadata().setDeletionTimestamp(Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS)
                    .toString());
            pod.getMetadata().setDeletionGracePeriodSeconds(seconds);
        }
        return pod;
    }

    private static GenericKubernetesResource markFor(GenericKubernetesResource object, String finalizer) {
        List<String> finalizers = new ArrayList<>(object.getMetadata().getFinalizers());
        if (!finalizers.contains(finalizer)) {
            finalizers.add(finalizer);
        }
        object.getMetadata().setFinalizers(finalizers);
        if (object.getMetadata().getDeletionTimestamp() == null) {
            object.getMetadata().setDeletionTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            object.getMetadata().setDeletionGracePeriodSeconds(0L);
        }
        return object;
    }
}
