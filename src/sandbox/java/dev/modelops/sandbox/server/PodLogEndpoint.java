package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET .../pods/<name>/log} as the API server and the kubelet answer it (pkg/registry/core/pod/strategy.go
 * LogLocation, pkg/kubelet/kuberuntime/logs): the kubelet's lines with {@code tailLines}, {@code sinceSeconds},
 * {@code sinceTime}, {@code timestamps} and {@code limitBytes} applied; 400 for a container that is waiting or unknown,
 * or a previous instance that does not exist; 404 for a pod that does not. And what {@link LogFollow} reads.
 */
final class PodLogEndpoint implements LogFollow.Source {

    private static final Pattern POD_LOG = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The options of a log request (PodLogOptions). */
    record Options(String container, boolean previous, Integer tailLines, Long sinceSeconds, Instant sinceTime,
            boolean timestamps, Long limitBytes) {

        static Options of(Map<String, String> query) {
            try {
                return new Options(query.get("container"), "true".equals(query.get("previous")),
                        number(query, "tailLines", Integer::valueOf), number(query, "sinceSeconds", Long::valueOf),
                        query.containsKey("sinceTime") ? Instant.parse(query.get("sinceTime")) : null,
                        "true".equals(query.get("timestamps")), number(query, "limitBytes", Long::valueOf));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid pod log options: " + e.getMessage());
            }
        }

        private static <T extends Number> T number(Map<String, String> query, String name,
                java.util.function.Function<String, T> parse) {
            if (!query.containsKey(name)) {
                return null;
            }
            T value = parse.apply(query.get(name));
            if (value.longValue() < 0 || (value.longValue() == 0 && !name.equals("tailLines"))) {
                throw new IllegalArgumentException(name + ": must be " + (name.equals("tailLines") ? "non-negative"
                        : "greater than 0"));
            }
            return value;
        }

        /** The lines the options select, formatted, in at most {@code limitBytes}. */
        String render(List<PodLogSource.Line> lines, Instant now) {
            List<PodLogSource.Line> kept = lines;
            Instant since = sinceTime != null ? sinceTime : sinceSeconds != null ? now.minusSeconds(sinceSeconds) : null;
            if (since != null) {
                kept = kept.stream().filter(l -> !l.at().isBefore(since)).toList();
            }
            if (tailLines != null) {
                kept = kept.subList(Math.max(0, kept.size() - tailLines), kept.size());
            }
            StringBuilder text = new StringBuilder();
            kept.forEach(line -> text.append(timestamps ? line.at() + " " : "").append(line.text()));
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (limitBytes != null && bytes.length > limitBytes) {
                return new String(bytes, 0, limitBytes.intValue(), StandardCharsets.UTF_8);
            }
            return text.toString();
        }
    }

    private final KubernetesCrudDispatcher store;
    private volatile PodLogSource kubelet = PodLogSource.NONE;

    PodLogEndpoint(KubernetesCrudDispatcher store) {
        this.store = store;
    }

    void kubelet(PodLogSource source) {
        this.kubelet = source;
    }

    /** The log response, or null when the path is not a pod log. */
    MockResponse get(String path) {
        Matcher log = POD_LOG.matcher(path);
        if (!log.matches()) {
            return null;
        }
        Options options;
        try {
            options = Options.of(query(log.group(3)));
        } catch (IllegalArgumentException e) {
            return Responses.badRequest(e.getMessage());
        }
        LogFollow.Answer answer = answer(log.group(1), log.group(2), options);
        if (answer.code() != 200) {
            return Responses.status(answer.code(), answer.code() == 404 ? "NotFound" : "BadRequest", answer.message());
        }
        return Responses.text(options.render(answer.log().lines(), answer.log().now()));
    }

    /** The kubelet's log, or the API server's refusal (code and message). */
    @Override
    public LogFollow.Answer answer(String namespace, String pod, Options options) {
        Optional<JsonNode> stored = stored(namespace, pod);
        if (stored.isEmpty()) {
            return new LogFollow.Answer(404, "pods \"" + pod + "\" not found", null);
        }
        Optional<PodLogSource.PodLog> log = kubelet.logs(namespace, pod, options.container(), options.previous());
        if (log.isEmpty()) {
            // stored, but the kubelet has not seen it yet
            String container = options.container() != null ? options.container()
                    : stored.get().path("spec").path("containers").path(0).path("name").asText();
            return new LogFollow.Answer(400, "container \"" + container + "\" in pod \"" + pod
                    + "\" is waiting to start: ContainerCreating", null);
        }
        if (log.get().refused()) {
            return new LogFollow.Answer(400, log.get().refusal(), null);
        }
        return new LogFollow.Answer(200, null, log.get());
    }

    @Override
    public boolean ended(String namespace, String pod) {
        return stored(namespace, pod).map(p -> p.path("status").path("phase").asText())
                .map(phase -> phase.equals("Succeeded") || phase.equals("Failed")).orElse(true);
    }

    private Optional<JsonNode> stored(String namespace, String pod) {
        MockResponse response = store.handleGet("/api/v1/namespaces/" + namespace + "/pods/" + pod);
        if (response.code() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(response.getBody().readUtf8()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> query(String query) {
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }
}
