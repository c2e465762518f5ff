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
 * Patch types the store lacks, translated into ones it has. Both are approximations, stated in the README:
 * a strategic merge patch is applied as a JSON merge patch (lists are replaced, not merged by key), and a
 * server-side apply creates the object or merges the applied fields into it (no field ownership).
 */
final class PatchTranslation {

    static final String STRATEGIC = "application/strategic-merge-patch+json";
    static final String APPLY = "application/apply-patch+yaml";
    private static final String MERGE = "application/merge-patch+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PatchTranslation() {
    }

    static boolean isTranslated(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        return "PATCH".equals(request.getMethod()) && type != null && (type.startsWith(STRATEGIC) || type.startsWith(APPLY));
    }

    /** A strategic merge patch as a JSON merge patch, with its directives ($patch, $setElementOrder ...) removed. */
    static RecordedRequest strategicAsMerge(RecordedRequest request, String path) {
        JsonNode patch = withoutDirectives(read(request.getUtf8Body()));
        return merge(request, path, patch.toString());
    }

    /** The applied object as JSON. */
    static JsonNode applied(RecordedRequest request) {
        return read(request.getUtf8Body());
    }

    static RecordedRequest merge(RecordedRequest request, String path, String body) {
        return new RecordedRequest(request.getHttpVersion(), HttpMethod.PATCH, path,
                request.getHeaders().newBuilder().set("Content-Type", MERGE).build(), utf8(body));
    }

    static RecordedRequest create(RecordedRequest request, String collectionPath, String body) {
        return new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collectionPath,
                request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                utf8(body));
    }

    private static Buffer utf8(String body) {
        return new Buffer(body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(String body) {
        try {
            String trimmed = body.stripLeading();
            return trimmed.startsWith("{") ? JSON.readTree(body)
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
