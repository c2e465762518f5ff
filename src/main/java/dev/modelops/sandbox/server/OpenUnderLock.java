package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.concurrent.locks.Lock;

/**
 * A watch whose opening holds a lock that writes cannot take. The store replays every object as ADDED when the
 * watch opens, and drops events sent before that: a write that came between its reading of an object and the
 * replay's end would be lost to the watcher, whose informer then never sees that object's newest state.
 */
final class OpenUnderLock extends ForwardingWatch {

    private final Lock lock;

    OpenUnderLock(WebSocketListener watch, Lock lock) {
        super(watch);
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
}
