package dev.modelops.modeljob;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.api.v1alpha1.JobResult;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A container's result, as it reports it through its termination message: JSON of at most 4 KiB, such as
 * {@code {"metrics":{"auc":0.91},"artifactUri":"s3://..."}}. This is how Tekton passes task results.
 */
public final class TerminationMessage {

    /** What Kubernetes keeps of a termination message. */
    static final int MAX_BYTES = 4096;
    private static final int QUOTED_CHARS = 80;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return problem("the termination message is longer than 4 KiB: " + quote(message));
        }
        try {
            return new Parsed(Optional.of(JSON.readValue(message, JobResult.class)), Optional.empty());
        } catch (JsonProcessingException e) {
            return problem("the termination message is not a result (JSON with metrics, artifactUri, outputUri,"
                    + " statistics): " + quote(message) + ": " + e.getOriginalMessage());
        }
    }

    private static Parsed problem(String why) {
        return new Parsed(Optional.empty(), Optional.of(why));
    }

    private static String quote(String message) {
        String start = message.length() > QUOTED_CHARS ? message.substring(0, QUOTED_CHARS) + "..." : message;
        return "\"" + start.replace("\n", "\\n") + "\"";
    }
}
