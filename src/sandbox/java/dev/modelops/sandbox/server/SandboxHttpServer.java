package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The HTTP front of the embedded API server on a loopback port. Requests go to the dispatcher as the fabric8 mock
 * server would send them, but on Vert.x worker threads rather than on the one event loop, so that many clients are
 * served at once; watches without a WebSocket upgrade (kubectl's) are served as HTTP streams.
 */
final class SandboxHttpServer implements AutoCloseable {

    private static final Pattern WATCH = Pattern.compile("[?&]watch=(true|1)(&|$)");
    private static final Pattern TIMEOUT = Pattern.compile("[?&]timeoutSeconds=(\\d+)");

    private final Vertx vertx = Vertx.vertx();
    private final Dispatcher dispatcher;
    private final HttpServer server;

    SandboxHttpServer(Dispatcher dispatcher, LogFollow.Source logs, ApiRequests counted, int port) {
        this.dispatcher = dispatcher;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    var follow = LogFollow.FOLLOW.matcher(request.uri());
                    if (request.method() == io.vertx.core.http.HttpMethod.GET && follow.matches()) {
                        counted.record(request.getHeader("User-Agent"), "GET", request.uri());
                        LogFollow.stream(vertx, logs, follow, request.uri(), request.response());
                    } else if (isStreamingWatch(request)) {
                        streamWatch(request);
                    } else {
                        serve(request);
                    }
                });
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    int port() {
        return server.actualPort();
    }

    /**
     * As fabric8's {@code HttpServerRequestHandler} serves a request, with the dispatch on a worker thread. A
     * WebSocket upgrade stays on the event loop: Vert.x accepts it only before the request is read.
     */
    private void serve(HttpServerRequest http) {
        if (isWebSocketUpgrade(http)) {
            RecordedRequest request = recorded(http, null);
            MockResponse response = dispatcher.dispatch(request);
            if (response.getWebSocketListener() != null) {
                http.toWebSocket().onSuccess(new ServerWebSocketHandler(request, response))
                        .onFailure(failure -> fail(http, failure));
            } else {
                http.resume();
                respond(http, response);
            }
            return;
        }
        http.body().onFailure(failure -> fail(http, failure)).onSuccess(body -> {
            RecordedRequest request = recorded(http, body.getBytes());
            vertx.executeBlocking(() -> dispatcher.dispatch(request), false)
                    .onSuccess(response -> respond(http, response))
                    .onFailure(failure -> fail(http, failure));
        });
    }

    private static RecordedRequest recorded(HttpServerRequest http, byte[] body) {
        return new RecordedRequest(http.version().alpnName().toUpperCase(Locale.ROOT),
                HttpMethod.fromVertx(http.method()), http.uri(), Headers.builder().addAll(http.headers()).build(),
                new Buffer(body));
    }

    private static void respond(HttpServerRequest http, MockResponse response) {
        HttpServerResponse out = http.response().setStatusCode(response.code());
        response.getHeaders().toMultimap().forEach((key, values) -> out.headers().add(key, values));
        if (response.getBody() != null && response.getBody().size() > 0) {
            out.headers().set("Content-Length", String.valueOf(response.getBody().size()));
            out.end(io.vertx.core.buffer.Buffer.buffer(response.getBody().getBytes()));
        } else {
            out.end();
        }
    }

    private static void fail(HttpServerRequest http, Throwable failure) {
        if (!http.response().headWritten()) {
            http.response().setStatusCode(500).end(String.valueOf(failure.getMessage()));
        }
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    private static boolean isStreamingWatch(HttpServerRequest request) {
        return request.method() == io.vertx.core.http.HttpMethod.GET && WATCH.matcher(request.uri()).find()
                && !isWebSocketUpgrade(request);
    }

    private void streamWatch(HttpServerRequest http) {
        RecordedRequest request = recorded(http, null);
        MockResponse response = dispatcher.dispatch(request);
        if (response.getWebSocketListener() == null) {
            respond(http, response);
            return;
        }
        http.response().setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
        http.response().write("");
        WatchStream stream = new WatchStream(request, http.response());
        AtomicBoolean closed = new AtomicBoolean();
        Runnable unregister = () -> {
            if (closed.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    response.getWebSocketListener().onClosed(stream, 1000, "watch ended");
                    return null;
                });
            }
        };
        http.response().closeHandler(end -> unregister.run());
        var timeout = TIMEOUT.matcher(http.uri());
        if (timeout.find()) {
            vertx.setTimer(TimeUnit.SECONDS.toMillis(Long.parseLong(timeout.group(1))), id -> {
                stream.close(1000, "timeout");
                unregister.run();
            });
        }
        response.getWebSocketListener().onOpen(stream, response);
    }

    @Override
    public void close() {
        dispatcher.shutdown();
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        vertx.close();
    }
}
