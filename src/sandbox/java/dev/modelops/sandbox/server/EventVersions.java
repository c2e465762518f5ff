package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One Event, two versions: the API server stores core v1 Events and serves them as events.k8s.io/v1 too, converted
 * field by field ({@code pkg/apis/events/v1/conversion.go}): {@code involvedObject} is {@code regarding},
 * {@code message} is {@code note}, {@code source}, {@code firstTimestamp}, {@code lastTimestamp} and {@code count}
 * are the {@code deprecated} ones.
 */
final class EventVersions {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** core v1 field name, events.k8s.io/v1 field name */
    private static final Map<String, String> RENAMED = Map.of(
            "involvedObject", "regarding",
            "message", "note",
            "reportingComponent", "reportingController",
            "source", "deprecatedSource",
            "firstTimestamp", "deprecatedFirstTimestamp",
            "lastTimestamp", "deprecatedLastTimestamp",
            "count", "deprecatedCount");
    private static final List<String> SAME = List.of("metadata", "eventTime", "series", "reportingInstance", "action",
            "reason", "type", "related");

    private EventVersions() {
    }

    static boolean isEventsApi(ResourcePath path) {
        return "events.k8s.io".equals(path.group()) && "events".equals(path.plural());
    }

    static ResourcePath core(ResourcePath path) {
        return new ResourcePath("", "v1", path.namespace(), "events", path.name(), path.subresource());
    }

    static JsonNode toEventsApi(JsonNode core) {
        if (!core.isObject() || !"Event".equals(core.path("kind").asText())) {
            return core;
        }
        ObjectNode event = JSON.createObjectNode().put("kind", "Event").put("apiVersion", "events.k8s.io/v1");
        SAME.stream().filter(core::has).forEach(field -> event.set(field, core.get(field)));
        RENAMED.forEach((coreField, field) -> {
            if (core.has(coreField)) {
                event.set(field, core.get(coreField));
            }
        });
        if (core.path("series").has("count")) {
            event.with("series").put("count", core.path("series").path("count").asInt());
        }
        return event;
    }

    static JsonNode toCore(JsonNode event) {
        if (!event.isObject()) {
            return event;
        }
        ObjectNode core = JSON.createObjectNode().put("kind", "Event").put("apiVersion", "v1");
        SAME.stream().filter(event::has).forEach(field -> core.set(field, event.get(field)));
        RENAMED.forEach((coreField, field) -> {
            if (event.has(field)) {
                core.set(coreField, event.get(field));
            }
        });
        return core;
    }

    /** A core answer (an Event, an EventList or a Status) in events.k8s.io/v1. */
    static MockResponse converted(MockResponse response) {
        if (response.getBody() == null || response.code() >= 300) {
            return response;
        }
        try {
            JsonNode body = JSON.readTree(response.getBody().readUtf8());
            if (body.has("items")) {
                ArrayNode items = (ArrayNode) body.get("items");
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, toEventsApi(items.get(i)));
                }
                ((ObjectNode) body).put("apiVersion", "events.k8s.io/v1");
                return Responses.json(response.code(), body.toString());
            }
            return Responses.json(response.code(), toEventsApi(body).toString());
        } catch (IOException e) {
            return response;
        }
    }
}
