package dev.modelops.sandbox.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubectl logs -f}: streams a pod's log as it grows, and ends the stream once the container has ended and
 * everything it printed was sent, or when the pod is gone. A container that is waiting gets the same 400 as without
 * {@code follow}.
 */
final class LogFollow {

    static final Pattern FOLLOW = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log\\?((?:.*&)?follow=true(?:&.*)?)$");
    private static final long POLL_MILLIS = 250;

    /** The kubelet's log, or the API server's refusal. */
    record Answer(int code, String message, PodLogSource.PodLog log) {
    }

    /** What the stream reads: the log so far and whether the pod has ended. */
    interface Source {
        Answer answer(String namespace, String pod, PodLogEndpoint.Options options);

        boolean ended(String namespace, String pod);
    }

    private LogFollow() {
    }

    static void stream(Vertx vertx, Source source, Matcher follow, String uri, HttpServerResponse response) {
        String namespace = follow.group(1);
        String pod = follow.group(2);
        PodLogEndpoint.Options options;
        try {
            options = PodLogEndpoint.Options.of(PodLogEndpoint.query(follow.group(3)));
        } catch (IllegalArgumentException e) {
            refuse(response, 400, "BadRequest", e.getMessage());
            return;
        }
        Answer first = source.answer(namespace, pod, options);
        if (first.code() != 200) {
            refuse(response, first.code(), first.code() == 404 ? "NotFound" : "BadRequest", first.message());
            return;
        }
        response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8");
        // the options select among the lines printed so far; every later line is sent as it comes
        List<PodLogSource.Line> before = first.log().lines();
        String head = options.render(before, first.log().now());
        if (!head.isEmpty()) {
            response.write(head);
        }
        // counted from the first line ever printed, so that lines dropped to bound the kubelet's memory do not stall it
        AtomicLong sent = new AtomicLong(first.log().dropped() + before.size());
        PodLogEndpoint.Options rest = new PodLogEndpoint.Options(options.container(), false, null, null, null,
                options.timestamps(), null);
        vertx.setPeriodic(0, POLL_MILLIS, timer -> {
            if (response.closed() || response.ended()) {
                vertx.cancelTimer(timer);
                return;
            }
            boolean ended = source.ended(namespace, pod);
            Answer now = source.answer(namespace, pod, options);
            if (now.code() == 200 && now.log().dropped() + now.log().lines().size() > sent.get()) {
                List<PodLogSource.Line> lines = now.log().lines();
                int from = (int) Math.max(0, sent.get() - now.log().dropped());
                response.write(rest.render(lines.subList(from, lines.size()), now.log().now()));
                sent.set(now.log().dropped() + lines.size());
            }
            if (ended || now.code() != 200 || now.log().ended()) {
                vertx.cancelTimer(timer);
                response.end();
            }
        });
    }

    private static void refuse(HttpServerResponse response, int code, String reason, String message) {
        response.setStatusCode(code).putHeader("Content-Type", "application/json")
                .end(new io.vertx.core.json.JsonObject().put("kind", "Status").put("apiVersion", "v1")
                        .put("metadata", new io.vertx.core.json.JsonObject()).put("status", "Failure")
                        .put("message", message).put("reason", reason).put("code", code).encode());
    }
}
