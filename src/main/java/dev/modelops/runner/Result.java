package dev.modelops.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command reports through the termination message: the fields the ModelJob controller reads into its
 * JobResult (metrics, artifactUri, artifactDigest, outputUri, statistics) and nothing else, since it refuses unknown
 * fields. Kept within the 4 KiB Kubernetes keeps: statistics fall back to their smaller forms, then to their
 * {@code uri} alone, then the last metrics are cut (a command adds its headline metrics first).
 */
public final class Result {

    public static final int MAX_BYTES = 4096;
    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private String artifactUri;
    private String artifactDigest;
    private String outputUri;
    private final List<JsonNode> statistics = new ArrayList<>();

    public Result metric(String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        }
        return this;
    }

    public Result artifact(String uri, String sha256) {
        this.artifactUri = uri;
        this.artifactDigest = sha256;
        return this;
    }

    public Result outputUri(String uri) {
        this.outputUri = uri;
        return this;
    }

    /** The statistics, most detailed first, then smaller forms to use when the message would be too long. */
    public Result statistics(List<? extends JsonNode> mostDetailedFirst) {
        statistics.clear();
        statistics.addAll(mostDetailedFirst);
        return this;
    }

    public Map<String, Double> metrics() {
        return metrics;
    }

    /** The termination message: JSON of at most {@link #MAX_BYTES} bytes. */
    public String toJson() {
        for (JsonNode form : statistics) {
            String json = render(form, metrics);
            if (fits(json)) {
                return json;
            }
        }
        JsonNode last = statistics.isEmpty() ? null : statistics.get(statistics.size() - 1);
        JsonNode bare = last == null ? null : JSON.createObjectNode().put("truncated", true)
                .set("uri", last.get("uri"));
        Map<String, Double> kept = new LinkedHashMap<>(metrics);
        String json = render(bare, kept);
        List<String> names = new ArrayList<>(kept.keySet());
        while (!fits(json) && !names.isEmpty()) {
            kept.remove(names.remove(names.size() - 1));
            json = render(bare, kept);
        }
        return json;
    }

    /** The message of a failed job: {@code {"message": "..."}}, one line, within the limit. */
    public static String failure(String message) {
        String line = RunFailure.oneLine(message);
        String json = JSON.createObjectNode().put("message", line).toString();
        while (!fits(json)) {
            line = line.substring(0, line.length() * 3 / 4) + "...";
            json = JSON.createObjectNode().put("message", line).toString();
        }
        return json;
    }

    private String render(JsonNode statisticsForm, Map<String, Double> metricsKept) {
        ObjectNode node = JSON.createObjectNode();
        if (!metricsKept.isEmpty()) {
            ObjectNode m = node.putObject("metrics");
            metricsKept.forEach(m::put);
        }
        if (artifactUri != null) {
            node.put("artifactUri", artifactUri);
        }
        if (artifactDigest != null) {
            node.put("artifactDigest", artifactDigest);
        }
        if (outputUri != null) {
            node.put("outputUri", outputUri);
        }
        if (statisticsForm != null) {
            node.set("statistics", statisticsForm);
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean fits(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }
}
