package dev.modelops.sandbox.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * The {@code pod-template-hash} of a Deployment's pod template (pkg/controller/controller_utils.go ComputeHash): an
 * FNV-1a 32-bit hash of the template and the Deployment's {@code collisionCount}, its decimal digits written in the
 * alphabet of generated names (rand.SafeEncodeString). Kubernetes hashes the Go value, the sandbox the JSON with
 * its keys sorted: equal templates give equal hashes, but not the values a cluster gives.
 */
final class PodTemplateHash {

    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private PodTemplateHash() {
    }

    static String of(PodTemplateSpec template, Integer collisionCount) {
        int hash = FNV_OFFSET;
        for (byte b : sorted(Serialization.jsonMapper().valueToTree(template)).toString()
                .getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        if (collisionCount != null) {
            // as Go writes it: the count as 4 little-endian bytes in a buffer of 8
            for (int i = 0; i < 8; i++) {
                int b = i < 4 ? (collisionCount >>> (8 * i)) & 0xff : 0;
                hash = (hash ^ b) * FNV_PRIME;
            }
        }
        String digits = Integer.toUnsignedString(hash);
        StringBuilder encoded = new StringBuilder(digits.length());
        for (char c : digits.toCharArray()) {
            encoded.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return encoded.toString();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            TreeSet<String> fields = new TreeSet<>();
            object.fieldNames().forEachRemaining(fields::add);
            fields.forEach(field -> copy.set(field, sorted(object.get(field))));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(item -> copy.add(sorted(item)));
            return copy;
        }
        return node;
    }
}
