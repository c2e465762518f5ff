package dev.modelops.modeljob;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.api.v1alpha1.JobResult;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A container's result, as it reports it through its termination message: JSON of at most 4 KiB, such as
 * {@code {"metrics":{"auc":0.91},"artifactUri":"s3://..."}}. This is how Tekton passes task results. Anything else
 * (not JSON, JSON of another shape, a metric that is not a finite number) is a problem that says why, never a result
 * that the status could not hold.
 */
public final class TerminationMessage {

    /** What Kubernetes keeps of a termination message: a kubelet reads the file's last 4096 bytes. */
    static final int MAX_BYTES = 4096;
    private static final int QUOTED_CHARS = 80;
    private static final String NOT_A_RESULT = "the termination message is not a result";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The result, or why the message is not one. */
    public record Parsed(Optional<JobResult> result, Optional<String> problem) {
    }

    private TerminationMessage() {
    }

    /** An empty or absent message is no result and no problem: not every step reports one. */
    public static Parsed parse(String message) {
        if (message == null || message.isBlank()) {
            return new Parsed(Optional.empty(), Optional.empty());
        }
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return problem("the termination message is longer than 4 KiB: " + quote(message));
        }
        JobResult result;
        try {
            JsonNode tree = JSON.readTree(message);
            if (!tree.isObject()) {
                throw new IllegalArgumentException("a JSON " + tree.getNodeType().name().toLowerCase()
                        + ", not an object");
            }
            result = JSON.treeToValue(tree, JobResult.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            return problem(NOT_A_RESULT + " (JSON with metrics, artifactUri, outputUri, statistics): " + quote(message)
                    + ": " + why + (bytes == MAX_BYTES ? "; it is 4096 bytes, all that Kubernetes keeps of a"
                    + " termination message: a longer one loses its beginning" : ""));
        }
        return metricProblem(result).map(TerminationMessage::problem)
                .orElseGet(() -> new Parsed(Optional.of(result), Optional.empty()));
    }

    /** A metric the status cannot hold as a number: null, or beyond a double (1e999). */
    private static Optional<String> metricProblem(JobResult result) {
        if (result.getMetrics() == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, Double> metric : result.getMetrics().entrySet()) {
            if (metric.getValue() == null) {
                return Optional.of(NOT_A_RESULT + ": metric \"" + metric.getKey() + "\" is null, not a number");
            }
            if (!Double.isFinite(metric.getValue())) {
                return Optional.of(NOT_A_RESULT + ": metric \"" + metric.getKey() + "\" is not a finite number");
            }
        }
        return Optional.empty();
    }

    private static Parsed problem(String why) {
        return new Parsed(Optional.empty(), Optional.of(why));
    }

    private static String quote(String message) {
        int end = Character.isHighSurrogate(message.charAt(Math.min(message.length(), QUOTED_CHARS) - 1))
                ? QUOTED_CHARS - 1 : QUOTED_CHARS; // never half a character
        String start = message.length() > QUOTED_CHARS ? message.substring(0, end) + "..." : message;
        return "\"" + start.replace("\n", "\\n") + "\"";
    }
}
