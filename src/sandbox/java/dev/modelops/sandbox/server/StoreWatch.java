package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One watch of the store: the objects whose keys match its query, replayed as ADDED when it opens and then each
 * change, sent in the order the store made them. The store builds each event's message once for every watch that
 * takes it (fabric8's watch parses and serializes the object again for each one, while the store's write waits);
 * a watch only queues the message and sends it on its own thread.
 */
final class StoreWatch extends WebSocketListener {

    enum Type { ADDED, MODIFIED, DELETED }

    private final AttributeSet query;
    private final long since;
    private final boolean bookmarks;
    private final Consumer<StoreWatch> onOpen;
    private final Consumer<StoreWatch> onClose;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "sandbox-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile WebSocket socket;

    /**
     * @param onOpen registers the open watch with the store and replays what it matches, with no write between
     * @param onClose unregisters it
     */
    StoreWatch(AttributeSet query, long since, boolean bookmarks, Consumer<StoreWatch> onOpen,
            Consumer<StoreWatch> onClose) {
        this.query = query;
        this.since = since;
        this.bookmarks = bookmarks;
        this.onOpen = onOpen;
        this.onClose = onClose;
    }

    /** A watch event as the API server writes it, the object being the stored JSON as it is. */
    static String event(Type type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
    }

    /** A BOOKMARK event: only the kind and the resourceVersion the watch has reached. */
    static String bookmark(String apiVersion, String kind, long resourceVersion) {
        return "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion
                + "\",\"metadata\":{\"resourceVersion\":\"" + resourceVersion + "\"}}}";
    }

    /** The resourceVersion a watch request starts from, or 0 when it starts from the current state. */
    static long since(String path) {
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("[?&]resourceVersion=(\\d+)").matcher(path);
        return version.find() ? Long.parseLong(version.group(1)) : 0;
    }

    AttributeSet query() {
        return query;
    }

    long since() {
        return since;
    }

    boolean bookmarks() {
        return bookmarks;
    }

    /** As the API server ends a watch from a version it no longer keeps: an ERROR event with a 410 Status. */
    void expire(long asked, long oldest) {
        send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"too old resource version: " + asked + " (" + oldest + ")\","
                + "\"reason\":\"Expired\",\"code\":410}}");
        try {
            sender.execute(() -> socket.close(1000, "too old resource version"));
        } catch (RejectedExecutionException closed) {
            // already closed
        }
    }

    boolean matches(AttributeSet key) {
        return key.matches(query);
    }

    void send(String event) {
        try {
            sender.execute(() -> deliver(event));
        } catch (RejectedExecutionException closed) {
            // closed while the store was sending: nobody is left to read it
        }
    }

    private void deliver(String event) {
        try {
            socket.send(event);
        } catch (RuntimeException e) {
            // As fabric8's watch: an event that cannot reach this watcher (its stream just ended) is its loss alone,
            // and the thread goes on with the next.
        }
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        onOpen.accept(this);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        end();
        webSocket.close(code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        end();
        webSocket.close(1000, failure.getMessage());
    }

    private void end() {
        onClose.accept(this);
        sender.shutdown();
    }
}
