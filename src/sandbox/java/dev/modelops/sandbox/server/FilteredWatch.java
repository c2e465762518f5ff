package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A watch of the store whose events pass a filter: the request's selectors, and its starting resourceVersion (the
 * store replays every existing object as ADDED when a watch opens; a client that listed first and watches from
 * the list's resourceVersion must not see those again).
 */
final class FilteredWatch extends ForwardingWatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predicate<JsonNode> passes;
    private final UnaryOperator<JsonNode> objectView;
    /** Only replayed ADDED events are filtered: the others pass as they are, unparsed (informers' common case). */
    private final boolean onlyReplay;

    private FilteredWatch(WebSocketListener store, Predicate<JsonNode> passes, UnaryOperator<JsonNode> objectView,
            boolean onlyReplay) {
        super(store);
        this.passes = passes;
        this.objectView = objectView;
        this.onlyReplay = onlyReplay;
    }

    /**
     * The store's watch filtered for the request path, its objects shown through the view (a Table row for
     * kubectl), or the store's watch itself when there is nothing to do.
     */
    static WebSocketListener of(WebSocketListener store, String path, SelectorFilter selectors,
            UnaryOperator<JsonNode> objectView) {
        // the store starts a watch from its resourceVersion itself (StoreWatch); what is left is selectors and views
        Predicate<JsonNode> passes = event -> true;
        if (selectors != null) {
            passes = passes.and(event -> !isControlEvent(event) && selectors.test(event.path("object")));
            passes = passes.or(FilteredWatch::isControlEvent);
        }
        if (selectors == null && objectView == null) {
            return store;
        }
        return new FilteredWatch(store, passes, objectView == null ? UnaryOperator.identity() : objectView,
                selectors == null && objectView == null);
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        watch.onBeforeAccept(filtered(webSocket), response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        watch.onOpen(filtered(webSocket), response);
    }

    private WebSocket filtered(WebSocket webSocket) {
        return new WebSocket() {
            @Override
            public RecordedRequest request() {
                return webSocket.request();
            }

            @Override
            public boolean send(String text) {
                if (onlyReplay && !text.contains("\"ADDED\"")) {
                    return webSocket.send(text);
                }
                JsonNode event = parse(text);
                if (event == null) {
                    return webSocket.send(text);
                }
                if (!passes.test(event)) {
                    return true;
                }
                if (!isControlEvent(event)) {
                    ((ObjectNode) event).set("object", objectView.apply(event.path("object")));
                }
                return webSocket.send(event.toString());
            }

            @Override
            public boolean send(byte[] bytes) {
                return webSocket.send(bytes);
            }

            @Override
            public boolean close(int code, String reason) {
                return webSocket.close(code, reason);
            }
        };
    }

    /** BOOKMARK and ERROR events: no object to filter or show as a row. */
    private static boolean isControlEvent(JsonNode event) {
        String type = event.path("type").asText();
        return type.equals("BOOKMARK") || type.equals("ERROR");
    }

    private static JsonNode parse(String event) {
        try {
            JsonNode node = JSON.readTree(event);
            return node instanceof ObjectNode ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
