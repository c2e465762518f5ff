package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The faults a request can meet on a real API server: any request can be refused with 429, 500 or 503; only a write
 * that names the resourceVersion it was computed from (an update, a patch of {@code metadata.resourceVersion}, a
 * delete with that precondition) can be a 409 Conflict (a create of a name in use is AlreadyExists, and a patch
 * without a resourceVersion is retried by the server itself); only a watch can be cut; anything else can be slow.
 */
final class FaultTargets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultTargets() {
    }

    static Set<FaultKind> possible(RecordedRequest request) {
        Set<FaultKind> kinds = EnumSet.of(FaultKind.TOO_MANY_REQUESTS, FaultKind.INTERNAL_ERROR,
                FaultKind.SERVICE_UNAVAILABLE);
        String method = request.getMethod();
        if (ApiRequests.key(method, request.getPath()).startsWith("watch ")) {
            kinds.add(FaultKind.WATCH_CLOSE);
            return kinds;
        }
        kinds.add(FaultKind.SLOW);
        if (namesResourceVersion(method, request)) {
            kinds.add(FaultKind.CONFLICT);
        }
        return kinds;
    }

    private static boolean namesResourceVersion(String method, RecordedRequest request) {
        if (!"PUT".equals(method) && !"PATCH".equals(method) && !"DELETE".equals(method)) {
            return false;
        }
        JsonNode body;
        try {
            body = request.getBody() == null || request.getBody().size() == 0 ? null
                    : JSON.readTree(request.getBody().getBytes()); // getUtf8Body() would empty it
        } catch (IOException | RuntimeException notJson) {
            return false;
        }
        if (body == null) {
            return false;
        }
        if (body.isArray()) { // a JSON patch that tests or sets the resourceVersion
            for (JsonNode operation : body) {
                if ("/metadata/resourceVersion".equals(operation.path("path").asText())) {
                    return true;
                }
            }
            return false;
        }
        JsonNode version = "DELETE".equals(method) ? body.path("preconditions").path("resourceVersion")
                : body.path("metadata").path("resourceVersion");
        return !version.asText("").isEmpty();
    }
}
