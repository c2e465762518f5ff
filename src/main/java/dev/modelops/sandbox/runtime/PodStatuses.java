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

    private PodStatuses() {
    }

    static PodStatus waiting(Pod pod, Instant startTime, String reason, String message) {
        return status(pod, "Pending", startTime, false,
                new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build());
    }

    static PodStatus running(Pod pod, Instant startTime, Instant startedAt) {
        return status(pod, "Running", startTime, true,
                new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt.toString()).endRunning().build());
    }

    static PodStatus terminated(Pod pod, Instant startTime, Instant startedAt, ContainerExit exit) {
        return status(pod, exit.exitCode() == 0 ? "Succeeded" : "Failed", startTime, false,
                new ContainerStateBuilder().withNewTerminated().withExitCode(exit.exitCode()).withReason(exit.reason())
                        .withMessage(exit.message()).withStartedAt(startedAt.toString())
                        .withFinishedAt(exit.finishedAt().toString())
                        .withContainerID(containerId(pod)).endTerminated().build());
    }

    private static PodStatus status(Pod pod, String phase, Instant startTime, boolean ready, ContainerState state) {
        String at = startTime.toString();
        List<ContainerStatus> containers = pod.getSpec().getContainers().stream()
                .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                        .withImageID("sandbox://" + c.getImage()).withContainerID(state.getWaiting() == null
                                ? containerId(pod) : null)
                        .withReady(ready).withStarted(state.getRunning() != null).withRestartCount(0)
                        .withState(state).build())
                .toList();
        return new PodStatusBuilder().withPhase(phase).withStartTime(at).withHostIP("127.0.0.1")
                .withPodIP("127.0.0.1").withQosClass("BestEffort")
                .withConditions(condition("PodScheduled", true, at), condition("Initialized", true, at),
                        condition("ContainersReady", ready, at), condition("Ready", ready, at))
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
