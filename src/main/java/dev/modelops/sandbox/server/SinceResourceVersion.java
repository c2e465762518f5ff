package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;

/**
 * A watch that starts from a resourceVersion. The store replays every existing object as ADDED when a watch
 * opens; a client that listed first and watches from the list's resourceVersion must not see those again.
 */
final class SinceResourceVersion extends WebSocketListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocketListener store;
    private final long since;

    SinceResourceVersion(WebSocketListener store, long since) {
        this.store = store;
        this.since = since;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        store.onBeforeAccept(filtered(webSocket), response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        store.onOpen(filtered(webSocket), response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        store.onMessage(webSocket, text);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        store.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        store.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        store.onFailure(webSocket, t, response);
    }

    private WebSocket filtered(WebSocket webSocket) {
        return new WebSocket() {
            @Override
            public RecordedRequest request() {
                return webSocket.request();
            }

            @Override
            public boolean send(String text) {
                return replayed(text) || webSocket.send(text);
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

    /** True for an ADDED event of an object that the client already saw at {@link #since}. */
    private boolean replayed(String event) {
        if (!event.contains("\"ADDED\"")) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(event);
            return "ADDED".equals(node.path("type").asText())
                    && node.path("object").path("metadata").path("resourceVersion").asLong(Long.MAX_VALUE) <= since;
        } catch (IOException e) {
            return false;
        }
    }

    /** The resourceVersion a watch request starts from, or -1 when it starts from the beginning. */
    static long of(String path) {
        int at = path.indexOf("resourceVersion=");
        if (at < 0) {
            return -1;
        }
        String value = path.substring(at + "resourceVersion=".length()).split("&", 2)[0];
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
