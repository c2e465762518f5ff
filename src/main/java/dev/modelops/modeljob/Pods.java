package dev.modelops.modeljob;

import dev.modelops.api.Rfc3339;
import dev.modelops.cache.PrunedCaches;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads what a job's pod and its one container are doing from the pod status. */
final class Pods {

    private static final Comparator<Pod> CREATION = Comparator
            .comparing((Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(p -> p.getMetadata().getName());

    private Pods() {
    }

    static List<Pod> oldestFirst(List<Pod> pods) {
        return pods.stream().sorted(CREATION).toList();
    }

    static Optional<Pod> newest(List<Pod> pods) {
        return pods.stream().max(CREATION);
    }

    /**
     * The pod whose end decided the Job: for a Job that succeeded, the pod that succeeded; otherwise the pod that
     * ended last (after retries, the newest by creation may still be running or be a pod the Job did not wait for).
     */
    static Optional<Pod> decisive(List<Pod> pods, boolean succeeded) {
        Comparator<Pod> byEnd = Comparator.comparing((Pod p) -> terminated(p).map(t -> t.getFinishedAt()).orElse(""))
                .thenComparing(CREATION);
        Optional<Pod> ended = pods.stream().filter(p -> terminated(p).isPresent())
                .filter(p -> !succeeded || "Succeeded".equals(p.getStatus().getPhase())).max(byEnd);
        return ended.or(() -> newest(pods));
    }

    static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    static Optional<Instant> scheduledAt(Pod pod) {
        return scheduled(pod).filter(c -> "True".equals(c.getStatus())).map(c -> time(c.getLastTransitionTime()));
    }

    /** The scheduler's reason for not placing the pod (Unschedulable), with its message. */
    static Optional<PodCondition> unschedulable(Pod pod) {
        return scheduled(pod).filter(c -> "False".equals(c.getStatus()) && c.getReason() != null);
    }

    static String node(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "a node" : pod.getSpec().getNodeName();
    }

    static Optional<ContainerWaiting> stuck(Pod pod) {
        return state(pod).map(ContainerState::getWaiting).flatMap(ContainerWaiting::stuck);
    }

    static Optional<Instant> startedAt(Pod pod) {
        return state(pod).flatMap(s -> Optional.ofNullable(s.getRunning()).map(r -> r.getStartedAt())
                .or(() -> Optional.ofNullable(s.getTerminated()).map(ContainerStateTerminated::getStartedAt)))
                .map(Pods::time);
    }

    static Optional<ContainerStateTerminated> terminated(Pod pod) {
        return state(pod).map(ContainerState::getTerminated);
    }

    static boolean failed(Pod pod) {
        return pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase());
    }

    /** How a terminated container ended, in a few words: "exit code 3 (Error)". */
    static String ending(ContainerStateTerminated terminated) {
        return "exit code " + terminated.getExitCode()
                + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")");
    }

    private static Optional<PodCondition> scheduled(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream()
                        .filter(c -> PrunedCaches.POD_SCHEDULED.equals(c.getType())).findFirst();
    }

    private static Optional<ContainerState> state(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getName().equals(PodTemplates.CONTAINER)).findFirst()
                .map(ContainerStatus::getState);
    }

    private static Instant time(String rfc3339) {
        return rfc3339 == null ? null : Rfc3339.instant(rfc3339);
    }

    /** A container that cannot start without someone acting, and the kubelet's words for why. */
    record ContainerWaiting(StartReason reason, String message) {

        static Optional<ContainerWaiting> stuck(ContainerStateWaiting waiting) {
            return StartReason.stuck(waiting.getReason())
                    .map(reason -> new ContainerWaiting(reason, waiting.getMessage()));
        }
    }
}
