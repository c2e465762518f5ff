package dev.modelops.sandbox.runtime;

import dev.modelops.common.EventRecorder;
import dev.modelops.sandbox.server.PodLogSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's only node, with the scheduler that binds every pod to it. It adopts every pod (node name, the
 * simulated mark), runs its container through the {@link ContainerRuntime}, writes the pod status a kubelet writes at
 * each step, records the Events a scheduler and a kubelet record, serves the logs, and when the pod is deleted stops
 * the container with its grace period, writes its last status and removes the pod (a delete with grace period 0), as
 * a kubelet does. Pods carry no finalizer of the sandbox's.
 * <p>
 * A pod of {@code restartPolicy: Always} (a server, such as a Deployment's) has its container restarted in place when
 * it exits, whatever its exit code, as a kubelet does: at once the first time, then after a {@link RestartBackOff}
 * during which it waits in {@code CrashLoopBackOff}; {@code restartCount} counts the restarts, {@code lastState} and
 * {@code logs --previous} show the run before. Its container is Ready once started, or once a readiness probe's
 * {@code initialDelaySeconds} have passed (the probe then always succeeds), or, for a container that probes for
 * real (a local process), once its probe passes. The kubelet is woken by a container that changes by itself, through
 * {@link ContainerRun#whenChanged}; a pod that goes without being stopped has its container killed. Pods of Never and OnFailure are never
 * restarted: their container's exit ends the pod.
 */
final class Kubelet implements PodLogSource {

    static final String NODE = "sandbox-node";
    static final String SIMULATED = "sandbox.modelops.dev/simulated";
    private static final String SIMULATED_NOTE = "No container ran: this pod is simulated by the modelops sandbox.";

    /** What the kubelet knows of one pod. */
    private static final class PodRun {
        final String uid;
        final Instant acceptedAt;
        ContainerRun container;
        Instant startedAt;
        String written;
        boolean stopping;
        boolean pulling;
        int restarts;
        final RestartBackOff backOff = new RestartBackOff();
        /** The run before the last restart, for {@code logs --previous}, and how it went (the {@code lastState}). */
        ContainerRun previous;
        Instant previousStartedAt;
        ContainerExit lastExit;
        /** Annotations the started container asks for, not yet written to the pod. */
        Map<String, String> annotate = Map.of();

        PodRun(String uid, Instant acceptedAt) {
            this.uid = uid;
            this.acceptedAt = acceptedAt;
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> pods;
    private final ContainerRuntime runtime;
    private final SandboxClock clock;
    private final Timers timers;
    private final EventRecorder kubeletEvents;
    private final EventRecorder schedulerEvents;
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    private WorkQueue queue;

    Kubelet(KubernetesClient client, SharedIndexInformer<Pod> pods, ContainerRuntime runtime, SandboxClock clock,
            Timers timers) {
        this.client = client;
        this.pods = pods;
        this.runtime = runtime;
        this.clock = clock;
        this.timers = timers;
        this.kubeletEvents = new EventRecorder(client, "kubelet");
        this.schedulerEvents = new EventRecorder(client, "default-scheduler");
    }

    void start(int workers) {
        queue = new WorkQueue("kubelet", workers, this::sync);
        pods.addEventHandler(Informers.onChange(queue::add));
    }

    /** As the kubelet answers: the lines so far, or 400 for a container that is unknown or has not started. */
    @Override
    public Optional<PodLog> logs(String namespace, String name, String container, boolean previous) {
        Pod pod = pods.getStore().getByKey(namespace + "/" + name);
        if (pod == null) {
            return Optional.empty();
        }
        List<String> names = pod.getSpec().getContainers().stream().map(Container::getName).toList();
        if (container == null && names.size() != 1) {
            return Optional.of(PodLog.refused("a container name must be specified for pod " + name
                    + ", choose one of: " + names.toString().replace(",", "")));
        }
        String asked = container == null ? names.get(0) : container;
        if (!names.contains(asked)) {
            return Optional.of(PodLog.refused("container " + asked + " is not valid for pod " + name));
        }
        PodRun run = runs.get(namespace + "/" + name);
        boolean known = run != null && run.uid.equals(pod.getMetadata().getUid());
        Instant now = clock.now();
        if (previous) {
            if (!known || run.previous == null) {
                return Optional.of(PodLog.refused("previous terminated container \"" + asked + "\" in pod \"" + name
                        + "\" not found"));
            }
            ContainerRun.Printed printed = run.previous.printed(now);
            return Optional.of(PodLog.of(printed.lines(), printed.dropped(), now, true));
        }
        if (!known || run.container == null) {
            return Optional.of(PodLog.refused("container \"" + asked + "\" in pod \"" + name
                    + "\" is waiting to start: " + waitingReason(pod)));
        }
        ContainerRun.Printed printed = run.container.printed(now);
        return Optional.of(PodLog.of(printed.lines(), printed.dropped(), now, run.container.exit(now).isPresent()));
    }

    private static String waitingReason(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                if (status.getState() != null && status.getState().getWaiting() != null) {
                    String reason = status.getState().getWaiting().getReason();
                    return "ImagePullBackOff".equals(reason) || "ErrImagePull".equals(reason)
                            ? "trying and failing to pull image" : reason;
                }
            }
        }
        return "ContainerCreating";
    }

    private void sync(String key) {
        try {
            syncPod(key);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // the pod went away meanwhile: its deletion event comes next
        }
    }

    private void syncPod(String key) {
        Pod pod = pods.getStore().getByKey(key);
        Instant now = clock.now();
        if (pod == null) {
            kill(runs.remove(key), now);
            return;
        }
        if (!adopted(pod)) {
            adopt(pod);
            return;
        }
        PodRun known = runs.get(key);
        if (known != null && !known.uid.equals(pod.getMetadata().getUid())) {
            kill(known, now);
        }
        PodRun run = runs.compute(key, (k, same) -> same != null && same.uid.equals(pod.getMetadata().getUid())
                ? same : resumed(pod, now));
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            stop(pod, run, now, terminal);
        } else if (!terminal) {
            advance(pod, run, now);
        }
        annotate(pod, run);
    }

    /** A container whose pod went without being stopped (deleted at once, or replaced by a pod of the same name). */
    private static void kill(PodRun gone, Instant now) {
        if (gone != null && gone.container != null && gone.container.exit(now).isEmpty()) {
            gone.container.stop(now, now);
        }
    }

    private void startContainer(Pod pod, PodRun run, Instant now) {
        String key = key(pod);
        run.startedAt = now;
        run.container = runtime.start(pod, now);
        run.container.whenChanged(() -> queue.add(key));
        run.annotate = run.container.podAnnotations();
    }

    /** Writes the annotations that the container asked for as it started (a local process's port). */
    private void annotate(Pod pod, PodRun run) {
        Map<String, String> annotations = run.annotate;
        if (annotations.isEmpty() || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations))));
        run.annotate = Map.of();
    }

    /** Picks up a pod this kubelet has not seen, also one that was running before a restart of the sandbox. */
    private PodRun resumed(Pod pod, Instant now) {
        PodStatus status = pod.getStatus();
        Instant accepted = status != null && status.getStartTime() != null ? Instant.parse(status.getStartTime()) : now;
        PodRun run = new PodRun(pod.getMetadata().getUid(), accepted);
        run.restarts = status == null || status.getContainerStatuses() == null ? 0 : status.getContainerStatuses()
                .stream().mapToInt(c -> Objects.requireNonNullElse(c.getRestartCount(), 0)).max().orElse(0);
        Optional<String> startedAt = runningSince(pod);
        if (startedAt.isPresent()) {
            startContainer(pod, run, Instant.parse(startedAt.get()));
            run.written = runningStep(ready(pod), run.restarts);
        }
        return run;
    }

    private void advance(Pod pod, PodRun run, Instant now) {
        if (run.container == null) {
            SimulatedBehaviour behaviour = SimulatedBehaviour.of(pod);
            if (!run.pulling) {
                run.pulling = true;
                kubeletEvents.record(pod, ClusterReason.Pulling, "Pulling image \"" + image(pod) + "\"", now);
            }
            if (behaviour.imagePullError()) {
                if (!"pulling".equals(run.written)) {
                    kubeletEvents.record(pod, ClusterReason.Failed, "Failed to pull image \"" + image(pod)
                            + "\": the pod asks for it (sandbox.modelops.dev/image-pull-error)", now);
                    kubeletEvents.record(pod, ClusterReason.BackOff, "Back-off pulling image \"" + image(pod) + "\"",
                            now);
                }
                write(pod, run, "pulling", PodStatuses.waiting(pod, run.acceptedAt, "ImagePullBackOff",
                        "Back-off pulling image \"" + image(pod) + "\" (sandbox.modelops.dev/image-pull-error)"));
                return;
            }
            Instant startAt = run.acceptedAt.plus(behaviour.pending());
            if (now.isBefore(startAt)) {
                write(pod, run, "pending", PodStatuses.waiting(pod, run.acceptedAt, "ContainerCreating", null));
                timers.at(startAt, key(pod), queue::add);
                return;
            }
            startContainer(pod, run, now);
            kubeletEvents.record(pod, ClusterReason.Pulled, "Successfully pulled image \"" + image(pod)
                    + "\" in 0s (0s including waiting). Image size: 0 bytes.", now);
            started(pod, now);
        }
        Optional<ContainerExit> exit = run.container.exit(now);
        if (exit.isPresent() && !SimulatedBehaviour.serves(pod)) {
            write(pod, run, "terminated", PodStatuses.terminated(pod, run.acceptedAt, run.startedAt, exit.get(),
                    restarts(run)));
            return;
        }
        // only the first restart is at once: a container that exits as it starts then waits out a back-off
        while (exit.isPresent()) {
            if (!restarted(pod, run, exit.get(), now)) {
                return;
            }
            exit = run.container.exit(now);
        }
        Optional<Instant> readyAt = readyAt(pod, run, now);
        write(pod, run, runningStep(readyAt.isPresent(), run.restarts), PodStatuses.running(pod, run.acceptedAt,
                run.startedAt, readyAt.orElse(null), run.lastExit == null ? run.acceptedAt : run.lastExit.finishedAt(),
                restarts(run)));
        run.container.nextChange(now).ifPresent(at -> timers.at(at, key(pod), queue::add));
    }

    /**
     * The container of a pod that restarts its containers has exited: it starts again once the back-off allows and
     * waits in {@code CrashLoopBackOff} until then.
     *
     * @return whether it runs again
     */
    private boolean restarted(Pod pod, PodRun run, ContainerExit exit, Instant now) {
        Instant restartAt = run.backOff.restartAt(exit.finishedAt());
        String container = pod.getSpec().getContainers().get(0).getName();
        if (now.isBefore(restartAt)) {
            String step = "back-off-" + run.restarts;
            if (!step.equals(run.written)) {
                kubeletEvents.record(pod, RestartReason.BackOff, "Back-off restarting failed container " + container
                        + " in pod " + podRef(pod), now);
            }
            write(pod, run, step, PodStatuses.backingOff(pod, run.acceptedAt,
                    new PodStatuses.Restarts(run.restarts, run.startedAt, exit), "back-off " + run.backOff.current()
                            + " restarting failed container=" + container + " pod=" + podRef(pod)));
            timers.at(restartAt, key(pod), queue::add);
            return false;
        }
        run.backOff.restarted(exit.finishedAt(), now);
        run.previous = run.container;
        run.previousStartedAt = run.startedAt;
        run.lastExit = exit;
        run.restarts++;
        startContainer(pod, run, now);
        kubeletEvents.record(pod, ClusterReason.Pulled, "Container image \"" + image(pod)
                + "\" already present on machine", now);
        started(pod, now);
        return true;
    }

    private void started(Pod pod, Instant now) {
        String container = pod.getSpec().getContainers().get(0).getName();
        kubeletEvents.record(pod, ClusterReason.Created, "Created container: " + container, now);
        kubeletEvents.record(pod, ClusterReason.Started, "Started container " + container, now);
    }

    /**
     * When the running container became Ready, empty while it is not: a real probe's success for a container that
     * probes, else once the readiness probe's initial delay has passed (the kubelet looks again then).
     */
    private Optional<Instant> readyAt(Pod pod, PodRun run, Instant now) {
        if (run.container.probesReadiness()) {
            return run.container.readyAt(now);
        }
        Instant readyAt = run.startedAt.plus(readinessDelay(pod));
        if (now.isBefore(readyAt)) {
            timers.at(readyAt, key(pod), queue::add);
            return Optional.empty();
        }
        return Optional.of(readyAt);
    }

    private static PodStatuses.Restarts restarts(PodRun run) {
        return new PodStatuses.Restarts(run.restarts, run.previousStartedAt, run.lastExit);
    }

    private static String runningStep(boolean ready, int restarts) {
        return (ready ? "ready-" : "running-") + restarts;
    }

    /** How long a started container takes to be Ready: its readiness probe's initial delay (the longest of them). */
    private static Duration readinessDelay(Pod pod) {
        return pod.getSpec().getContainers().stream().map(Container::getReadinessProbe).filter(Objects::nonNull)
                .map(probe -> Duration.ofSeconds(Objects.requireNonNullElse(probe.getInitialDelaySeconds(), 0)))
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** A pod as the kubelet names it in messages: {@code name_namespace(uid)}. */
    private static String podRef(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid()
                + ")";
    }

    /**
     * A deleted pod: SIGTERM, the grace period the delete asked for (else the pod's), the last status, then the pod
     * goes (a delete with grace period 0).
     */
    private void stop(Pod pod, PodRun run, Instant now, boolean terminal) {
        if (terminal) {
            removeNow(pod);
            return;
        }
        if (run.container == null) {
            write(pod, run, "terminated", PodStatuses.terminated(pod, run.acceptedAt, run.acceptedAt,
                    new ContainerExit(137, "ContainerStatusUnknown",
                            "The container could not be located when the pod was deleted.", now), restarts(run)));
            removeNow(pod);
            return;
        }
        if (!run.stopping) {
            Long grace = pod.getMetadata().getDeletionGracePeriodSeconds() != null
                    ? pod.getMetadata().getDeletionGracePeriodSeconds()
                    : Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(), 30L);
            run.container.stop(now, now.plusSeconds(grace));
            run.stopping = true;
            kubeletEvents.record(pod, ClusterReason.Killing, "Stopping container "
                    + pod.getSpec().getContainers().get(0).getName(), now);
        }
        Optional<ContainerExit> exit = run.container.exit(now);
        if (exit.isEmpty()) {
            run.container.nextChange(now).ifPresent(at -> timers.at(at, key(pod), queue::add));
            return;
        }
        write(pod, run, "terminated", PodStatuses.terminated(pod, run.acceptedAt, run.startedAt, exit.get(),
                restarts(run)));
        removeNow(pod);
    }

    private void write(Pod pod, PodRun run, String step, PodStatus status) {
        if (step.equals(run.written)) {
            return;
        }
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
        run.written = step;
    }

    private static boolean adopted(Pod pod) {
        return NODE.equals(pod.getSpec().getNodeName()) && pod.getMetadata().getLabels() != null
                && "true".equals(pod.getMetadata().getLabels().get(SIMULATED));
    }

    /** The scheduler's binding and the simulated mark. */
    private void adopt(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Map<String, Object> patch = Map.of(
                "metadata", Map.of("labels", Map.of(SIMULATED, "true"), "annotations", Map.of(SIMULATED, SIMULATED_NOTE)),
                "spec", Map.of("nodeName", NODE));
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        if (pod.getSpec().getNodeName() == null) {
            schedulerEvents.record(pod, ClusterReason.Scheduled, "Successfully assigned "
                    + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " to " + NODE, clock.now());
        }
    }

    /** The kubelet's own delete once the containers have ended: the object goes, unless finalizers hold it. */
    private void removeNow(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static Optional<String> runningSince(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getState)
                .filter(s -> s != null && s.getRunning() != null).map(s -> s.getRunning().getStartedAt()).findFirst();
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().isEmpty() ? "" : pod.getSpec().getContainers().get(0).getImage();
    }

    private static String key(Pod pod) {
        return Cache.metaNamespaceKeyFunc(pod);
    }

    void close() {
        if (queue != null) {
            queue.close();
        }
    }
}
