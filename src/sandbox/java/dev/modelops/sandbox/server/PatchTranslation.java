package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Patch types the store lacks or gets wrong, translated into JSON patches it applies right. Merge patches follow
 * RFC 7386. Two are approximations, stated in the README: a strategic merge patch is applied as a JSON merge patch
 * (lists are replaced, not merged by key), and a server-side apply creates the object or merges the applied
 * fields into it (no field ownership).
 */
final class PatchTranslation {

    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final String APPLY = "application/apply-patch+yaml";
    private static final String MERGE = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PatchTranslation() {
    }

    /** The patch document: JSON (or YAML for apply); a strategic merge patch loses its directives. */
    static JsonNode document(RecordedRequest request) {
        JsonNode patch = read(request.getUtf8Body());
        return isStrategic(request) ? withoutDirectives(patch) : patch;
    }

    static boolean isJsonPatch(RecordedRequest request) {
        return contentType(request).startsWith(JSON_PATCH);
    }

    static boolean isApply(RecordedRequest request) {
        return contentType(request).startsWith(APPLY);
    }

    static boolean isStrategic(RecordedRequest request) {
        return contentType(request).startsWith(STRATEGIC);
    }

    private static String contentType(RecordedRequest request) {
        return request.getHeader("Content-Type") == null ? "" : request.getHeader("Content-Type");
    }

    /** A JSON patch request with the operations, which the store applies as RFC 6902 says. */
    static RecordedRequest jsonPatch(RecordedRequest request, String path, JsonNode operations) {
        return new RecordedRequest(request.getHttpVersion(), HttpMethod.PATCH, path,
                request.getHeaders().newBuilder().set("Content-Type", JSON_PATCH).build(), utf8(operations.toString()));
    }

    /** The request with a new body (the admitted object), at the path without write options. */
    static RecordedRequest withBody(RecordedRequest request, String path, JsonNode object) {
        return withBody(request, path, object.toString());
    }

    /** The request with the body it had (a request's body can be read once), at the path without write options. */
    static RecordedRequest withBody(RecordedRequest request, String path, String body) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), path,
                request.getHeaders().newBuilder().set("Content-Type", "application/json").build(), utf8(body));
    }

    static RecordedRequest create(RecordedRequest request, String collectionPath, JsonNode object) {
        return new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collectionPath,
                request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                utf8(object.toString()));
    }

    private static Buffer utf8(String body) {
        return new Buffer(body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(String body) {
        try {
            String trimmed = body.stripLeading();
            return trimmed.startsWith("{") || trimmed.startsWith("[") ? JSON.readTree(body)
                    : JSON.valueToTree(Serialization.unmarshal(body, Map.class));
        } catch (Exception e) {
            throw new IllegalArgumentException("the patch is not valid JSON or YAML: " + e.getMessage(), e);
        }
    }

    private static JsonNode withoutDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> directives = new ArrayList<>();
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.startsWith("$")) {
                    directives.add(name);
                } else {
                    withoutDirectives(object.get(name));
                }
            }
            object.remove(directives);
        } else if (node != null && node.isArray()) {
            node.forEach(PatchTranslation::withoutDirectives);
        }
        return node;
    }
}
