package dev.modelops.sandbox.server;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Serves the logs of pods, as the kubelet does behind {@code GET .../pods/<name>/log}. */
@FunctionalInterface
public interface PodLogSource {

    PodLogSource NONE = (namespace, pod, container, previous) -> Optional.empty();

    /** One line a container printed, with the time it printed it; the text ends with its newline. */
    record Line(Instant at, String text) {
    }

    /**
     * The kubelet's answer: the lines so far (and the kubelet's clock, for {@code sinceSeconds}), whether the
     * container has ended, or a refusal (400 for a container that is waiting or unknown) in the API server's words;
     * {@code dropped} lines were printed before the first of {@code lines} and are no longer kept.
     */
    record PodLog(List<Line> lines, Instant now, boolean ended, String refusal, long dropped) {

        public static PodLog of(List<Line> lines, Instant now, boolean ended) {
            return of(lines, 0, now, ended);
        }

        public static PodLog of(List<Line> lines, long dropped, Instant now, boolean ended) {
            return new PodLog(lines, now, ended, null, dropped);
        }

        /** A log printed all at one instant, {@code now}. */
        public static PodLog ofText(String text, Instant now) {
            return of(text.lines().map(line -> new Line(now, line + "\n")).toList(), now, false);
        }

        public static PodLog refused(String message) {
            return new PodLog(List.of(), null, true, message, 0);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    /**
     * @param container the container asked for, or {@code null} for the pod's only container
     * @param previous the previous (restarted) instance of the container rather than the current one
     * @return the log, or empty when the kubelet does not know the pod
     */
    Optional<PodLog> logs(String namespace, String pod, String container, boolean previous);
}
