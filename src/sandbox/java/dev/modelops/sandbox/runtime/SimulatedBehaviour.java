package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a simulated pod does, read from its annotations. A value that cannot be read makes the container fail to
 * start, with the annotation named in the message, rather than being ignored. A container runs for {@code duration}
 * (2 s unless set), except one of a pod that restarts its containers ({@code restartPolicy: Always}, a server such
 * as a Deployment's) that sets no duration: it runs until it is stopped ({@code duration} is empty).
 */
record SimulatedBehaviour(Duration pending, Optional<Duration> duration, int exitCode, String log,
        String terminationMessage, Duration shutdownDelay, boolean imagePullError, Optional<String> invalid) {

    static final String PREFIX = "sandbox.modelops.dev/";
    static final String PENDING = PREFIX + "pending";
    static final String DURATION = PREFIX + "duration";
    static final String EXIT_CODE = PREFIX + "exit-code";
    static final String LOG = PREFIX + "log";
    static final String TERMINATION_MESSAGE = PREFIX + "termination-message";
    static final String SHUTDOWN_DELAY = PREFIX + "shutdown-delay";
    static final String IMAGE_PULL_ERROR = PREFIX + "image-pull-error";

    static SimulatedBehaviour of(Pod pod) {
        Map<String, String> a = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
        try {
            Optional<Duration> duration = a.containsKey(DURATION) || !serves(pod)
                    ? Optional.of(duration(a, DURATION, "2s")) : Optional.empty();
            return new SimulatedBehaviour(
                    duration(a, PENDING, "0s"),
                    duration,
                    exitCode(a.getOrDefault(EXIT_CODE, "0")),
                    a.getOrDefault(LOG, defaultLog(pod, duration.isEmpty())),
                    a.get(TERMINATION_MESSAGE),
                    duration(a, SHUTDOWN_DELAY, "0s"),
                    "true".equals(a.get(IMAGE_PULL_ERROR)),
                    Optional.empty());
        } catch (IllegalArgumentException e) {
            return new SimulatedBehaviour(Duration.ZERO, Optional.of(Duration.ZERO), 128, "", null, Duration.ZERO,
                    false, Optional.of(e.getMessage()));
        }
    }

    /** A pod whose containers are restarted whatever their exit code; Always is also the API server's default. */
    static boolean serves(Pod pod) {
        String policy = pod.getSpec().getRestartPolicy();
        return policy == null || policy.equals("Always");
    }

    private static Duration duration(Map<String, String> annotations, String name, String fallback) {
        try {
            return GoDuration.parse(annotations.getOrDefault(name, fallback));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    private static int exitCode(String value) {
        try {
            int code = Integer.parseInt(value.trim());
            if (code < 0 || code > 255) {
                throw new NumberFormatException();
            }
            return code;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXIT_CODE + ": invalid exit code '" + value + "' (0 to 255)");
        }
    }

    private static String defaultLog(Pod pod, boolean untilStopped) {
        String image = pod.getSpec().getContainers().isEmpty() ? "" : pod.getSpec().getContainers().get(0).getImage();
        String job = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("job-name");
        return "simulated container of pod " + pod.getMetadata().getName() + (job == null ? "" : " (job " + job + ")")
                + "\nimage " + image + " was not run: this is the modelops sandbox\n"
                + (untilStopped ? "serving\n" : "finished\n");
    }
}
