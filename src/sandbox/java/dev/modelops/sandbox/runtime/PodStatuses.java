package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

import java.time.Instant;
import java.util.List;

/** Pod statuses as a kubelet writes them, for each state a simulated container goes through. */
final class PodStatuses {

    /** How often a container was restarted and how its last run ended (its {@code lastState}). */
    record Restarts(int count, Instant lastStartedAt, ContainerExit lastExit) {
        static final Restarts NONE = new Restarts(0, null, null);
    }

    private PodStatuses() {
    }

    static PodStatus waiting(Pod pod, Instant startTime, String reason, String message) {
        return status(pod, "Pending", startTime, null, startTime, new ContainerStateBuilder()
                .withNewWaiting().withReason(reason).withMessage(message).endWaiting().build(), Restarts.NONE);
    }

    /**
     * A running container; {@code readyAt} is when it became ready, null while it is not (a readiness probe's initial
     * delay), and {@code unreadyAt} when it last became not ready.
     */
    static PodStatus running(Pod pod, Instant startTime, Instant startedAt, Instant readyAt, Instant unreadyAt,
            Restarts restarts) {
        return status(pod, "Running", startTime, readyAt, unreadyAt,
                new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt.toString()).endRunning().build(),
                restarts);
    }

    /** A container of a pod that restarts its containers, waiting out the back-off after it exited. */
    static PodStatus backingOff(Pod pod, Instant startTime, Restarts restarts, String message) {
        return status(pod, "Running", startTime, null, restarts.lastExit().finishedAt(),
                new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff").withMessage(message)
                        .endWaiting().build(),
                restarts);
    }

    static PodStatus terminated(Pod pod, Instant startTime, Instant startedAt, ContainerExit exit, Restarts restarts) {
        return status(pod, exit.exitCode() == 0 ? "Succeeded" : "Failed", startTime, null, startTime,
                terminatedState(pod, startedAt, exit), restarts);
    }

    private static ContainerState terminatedState(Pod pod, Instant startedAt, ContainerExit exit) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exit.exitCode()).withReason(exit.reason())
                .withMessage(exit.message()).withStartedAt(startedAt.toString())
                .withFinishedAt(exit.finishedAt().toString())
                .withContainerID(containerId(pod)).endTerminated().build();
    }

    private static PodStatus status(Pod pod, String phase, Instant startTime, Instant readyAt, Instant unreadyAt,
            ContainerState state, Restarts restarts) {
        String at = startTime.toString();
        boolean ready = readyAt != null;
        String readinessAt = (ready ? readyAt : unreadyAt).toString();
        ContainerState last = restarts.lastExit() == null ? null
                : terminatedState(pod, restarts.lastStartedAt(), restarts.lastExit());
        List<ContainerStatus> containers = pod.getSpec().getContainers().stream()
                .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                        .withImageID("sandbox://" + c.getImage()).withContainerID(state.getWaiting() == null
                                ? containerId(pod) : null)
                        .withReady(ready).withStarted(state.getRunning() != null).withRestartCount(restarts.count())
                        .withState(state).withLastState(last).build())
                .toList();
        return new PodStatusBuilder().withPhase(phase).withStartTime(at).withHostIP("127.0.0.1")
                .withPodIP("127.0.0.1").withQosClass("BestEffort")
                .withConditions(condition("PodScheduled", true, at), condition("Initialized", true, at),
                        condition("ContainersReady", ready, readinessAt), condition("Ready", ready, readinessAt))
                .withContainerStatuses(containers).build();
    }

    private static PodCondition condition(String type, boolean status, String at) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False")
                .withLastTransitionTime(at).build();
    }

    private static String containerId(Pod pod) {
        return "sandbox://" + pod.getMetadata().getUid();
    }
}
