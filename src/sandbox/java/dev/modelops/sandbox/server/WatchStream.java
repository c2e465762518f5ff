package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * A watch served as a plain HTTP stream (what kubectl {@code get -w} and {@code wait} use): each event the store
 * sends is written as one JSON line of a chunked response.
 */
final class WatchStream implements WebSocket {

    private final RecordedRequest request;
    private final HttpServerResponse response;

    WatchStream(RecordedRequest request, HttpServerResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public RecordedRequest request() {
        return request;
    }

    @Override
    public boolean send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean send(byte[] bytes) {
        if (response.ended() || response.closed()) {
            return false;
        }
        response.write(io.vertx.core.buffer.Buffer.buffer(bytes).appendString("\n"));
        return true;
    }

    @Override
    public boolean close(int code, String reason) {
        if (!response.ended() && !response.closed()) {
            response.end();
        }
        return true;
    }
}
