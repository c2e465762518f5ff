package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A watch that the server ends early, after its n-th event or after a while, whichever comes first, as an API
 * server ends a watch at its timeout: the stream ends cleanly, and a client watches again from the last
 * resourceVersion it saw.
 */
final class CutWatch extends ForwardingWatch {

    private final FaultDecision decision;
    private final ScheduledExecutorService timers;
    private final Runnable onCut;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile WebSocket client;
    private volatile WebSocket limited;
    private volatile ScheduledFuture<?> deadline;

    /** @param onCut counts the fault once the watch is cut, not before: a client may end its watch first */
    CutWatch(WebSocketListener watch, FaultDecision decision, ScheduledExecutorService timers, Runnable onCut) {
        super(watch);
        this.decision = decision;
        this.timers = timers;
        this.onCut = onCut;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        watch.onBeforeAccept(limited(webSocket), response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        WebSocket socket = limited(webSocket);
        try {
            deadline = timers.schedule(this::cut, decision.delay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the server is closing: the watch ends with it
        }
        watch.onOpen(socket, response);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        if (!cut.get()) {
            cancelDeadline();
            watch.onClosed(webSocket, code, reason);
        }
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        cancelDeadline();
        watch.onFailure(webSocket, failure, response);
    }

    private synchronized WebSocket limited(WebSocket webSocket) {
        if (limited == null) {
            client = webSocket;
            limited = new WebSocket() {
                @Override
                public RecordedRequest request() {
                    return webSocket.request();
                }

                @Override
                public boolean send(String text) {
                    if (cut.get()) {
                        return false;
                    }
                    boolean delivered = webSocket.send(text);
                    afterEvent();
                    return delivered;
                }

                @Override
                public boolean send(byte[] bytes) {
                    if (cut.get()) {
                        return false;
                    }
                    boolean delivered = webSocket.send(bytes);
                    afterEvent();
                    return delivered;
                }

                @Override
                public boolean close(int code, String reason) {
                    return webSocket.close(code, reason);
                }
            };
        }
        return limited;
    }

    private void afterEvent() {
        if (sent.incrementAndGet() >= decision.events()) {
            cut();
        }
    }

    /** Ends the stream, and the store's watch with it (an HTTP stream's connection stays open for other requests). */
    private void cut() {
        if (!cut.compareAndSet(false, true)) {
            return;
        }
        cancelDeadline();
        String reason = "watch ended by the sandbox's fault plan after " + sent.get() + " events";
        client.close(1000, reason);
        watch.onClosed(client, 1000, reason);
        onCut.run();
    }

    private void cancelDeadline() {
        ScheduledFuture<?> timer = deadline;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
