package dev.modelops.modeljob;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads what a job's pod and its one container are doing from the pod status. */
final class Pods {

    /** The one pod condition the operator reads. */
    static final String SCHEDULED = "PodScheduled";

    /** Waiting reasons that mean the container cannot start without someone acting. */
    private static final List<String> STUCK = List.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff");

    private Pods() {
    }

    static List<Pod> oldestFirst(List<Pod> pods) {
        return pods.stream().sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(p -> p.getMetadata().getName())).toList();
    }

    static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    static Optional<Instant> scheduledAt(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals(SCHEDULED) && c.getStatus().equals("True")).findFirst()
                        .map(c -> time(c.getLastTransitionTime()));
    }

    static String node(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "a node" : pod.getSpec().getNodeName();
    }

    static Optional<ContainerStateWaiting> stuck(Pod pod) {
        return state(pod).map(ContainerState::getWaiting).filter(w -> STUCK.contains(w.getReason()));
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

    private static Optional<ContainerState> state(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getName().equals(BatchJobFactory.CONTAINER)).findFirst()
                .map(ContainerStatus::getState);
    }

    private static Instant time(String rfc3339) {
        return rfc3339 == null ? null : Instant.parse(rfc3339);
    }
}
