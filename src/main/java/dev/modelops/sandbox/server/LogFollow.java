package dev.modelops.sandbox.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubectl logs -f}: streams a pod's log as it grows, and ends the stream once the container has ended and
 * everything it printed was sent, or when the pod is gone.
 */
final class LogFollow {

    static final Pattern FOLLOW = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log\\?(?:.*&)?follow=true(?:&.*)?$");
    private static final Pattern CONTAINER = Pattern.compile("[?&]container=([^&]*)");
    private static final long POLL_MILLIS = 250;

    /** What the stream reads: the log so far and whether the pod has ended. */
    interface Source {
        Optional<String> logs(String namespace, String pod, String container);

        boolean ended(String namespace, String pod);
    }

    private LogFollow() {
    }

    static void stream(Vertx vertx, Source source, Matcher follow, String uri, HttpServerResponse response) {
        String namespace = follow.group(1);
        String pod = follow.group(2);
        Matcher container = CONTAINER.matcher(uri);
        String containerName = container.find() ? container.group(1) : null;
        if (source.logs(namespace, pod, containerName).isEmpty()) {
            response.setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                            + "\"code\":404,\"message\":\"pods \\\"" + pod + "\\\" not found\"}");
            return;
        }
        response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8");
        AtomicInteger sent = new AtomicInteger();
        vertx.setPeriodic(0, POLL_MILLIS, timer -> {
            if (response.closed() || response.ended()) {
                vertx.cancelTimer(timer);
                return;
            }
            boolean ended = source.ended(namespace, pod);
            Optional<String> text = source.logs(namespace, pod, containerName);
            text.filter(t -> t.length() > sent.get()).ifPresent(t -> {
                response.write(t.substring(sent.get()));
                sent.set(t.length());
            });
            if (ended || text.isEmpty()) {
                vertx.cancelTimer(timer);
                response.end();
            }
        });
    }
}
