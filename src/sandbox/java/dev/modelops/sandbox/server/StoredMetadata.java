package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.security.SecureRandom;
import java.util.Set;
import java.util.UUID;

/**
 * The metadata the API server writes and fabric8's store writes otherwise: a random UUID as uid (fabric8's are
 * sequential), {@code generation} only on kinds whose registry strategy keeps one (not pods, ConfigMaps, Events and
 * the other core kinds: {@code pkg/registry/core/pod/strategy.go} sets none), and a generated name of the prefix and
 * five random characters ({@code staging/src/k8s.io/apiserver/pkg/storage/names/generate.go}).
 */
final class StoredMetadata {

    // k8s.io/apimachinery/pkg/util/rand: no vowels and no confusable characters
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int RANDOM_LENGTH = 5;
    private static final int MAX_GENERATED_NAME_LENGTH = 63 - RANDOM_LENGTH;
    private static final Set<String> CORE_WITH_GENERATION = Set.of("ReplicationController");
    private static final Set<String> WITHOUT_GENERATION = Set.of("coordination.k8s.io/v1/Lease",
            "events.k8s.io/v1/Event");
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoredMetadata() {
    }

    static boolean hasGeneration(String apiVersion, String kind) {
        if ("v1".equals(apiVersion)) {
            return CORE_WITH_GENERATION.contains(kind);
        }
        return !WITHOUT_GENERATION.contains(apiVersion + "/" + kind);
    }

    static boolean hasGeneration(JsonNode object) {
        return hasGeneration(object.path("apiVersion").asText(), object.path("kind").asText());
    }

    /** Gives a new object a random uid and drops a generation its kind has not; true when it changed something. */
    static boolean normalize(GenericKubernetesResource resource, boolean created) {
        if (resource.getMetadata() == null) {
            return false;
        }
        boolean changed = false;
        if (created) {
            resource.getMetadata().setUid(UUID.randomUUID().toString());
            changed = true;
        }
        if (resource.getMetadata().getGeneration() != null && !hasGeneration(resource.getApiVersion(), resource.getKind())) {
            resource.getMetadata().setGeneration(null);
            changed = true;
        }
        return changed;
    }

    /** The same on a JSON object (a dry run's answer). */
    static void normalize(ObjectNode object, boolean created) {
        ObjectNode metadata = object.with("metadata");
        if (created) {
            metadata.put("uid", UUID.randomUUID().toString());
        }
        if (!hasGeneration(object)) {
            metadata.remove("generation");
        }
    }

    static String generateName(String prefix) {
        String base = prefix.length() > MAX_GENERATED_NAME_LENGTH ? prefix.substring(0, MAX_GENERATED_NAME_LENGTH) : prefix;
        StringBuilder name = new StringBuilder(base);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            name.append(ALPHANUMS.charAt(RANDOM.nextInt(ALPHANUMS.length())));
        }
        return name.toString();
    }
}
