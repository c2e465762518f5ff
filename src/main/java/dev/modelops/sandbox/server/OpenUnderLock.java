package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.concurrent.locks.Lock;

/**
 * A watch whose opening holds a lock that writes cannot take. The store replays every object as ADDED when the
 * watch opens, and drops events sent before that: a write that came between its reading of an object and the
 * replay's end would be lost to the watcher, whose informer then never sees that object's newest state.
 */
final class OpenUnderLock extends WebSocketListener {

    private final WebSocketListener watch;
    private final Lock lock;

    OpenUnderLock(WebSocketListener watch, Lock lock) {
        this.watch = watch;
        this.lock = lock;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        lock.lock();
        try {
            watch.onOpen(webSocket, response);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        watch.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        watch.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        watch.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        watch.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        watch.onFailure(webSocket, failure, response);
    }
}
