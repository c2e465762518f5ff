package dev.modelops.sandbox.runtime;

import dev.modelops.sandbox.server.PodLogSource;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's only node. It adopts every pod (node name, a finalizer so that deletion waits for the container,
 * the simulated mark), runs its container through the {@link ContainerRuntime}, writes the pod status a kubelet
 * writes at each step, serves the logs, and stops the container with its grace period when the pod is deleted.
 */
final class Kubelet implements PodLogSource {

    static final String NODE = "sandbox-node";
    static final String FINALIZER = "sandbox.modelops.dev/kubelet";
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
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    private WorkQueue queue;

    Kubelet(KubernetesClient client, SharedIndexInformer<Pod> pods, ContainerRuntime runtime, SandboxClock clock,
            Timers timers) {
        this.client = client;
        this.pods = pods;
        this.runtime = runtime;
        this.clock = clock;
        this.timers = timers;
    }

    void start(int workers) {
        queue = new WorkQueue("kubelet", workers, this::sync);
        pods.addEventHandler(Informers.onChange(queue::add));
    }

    @Override
    public Optional<String> logs(String namespace, String pod, String container) {
        PodRun run = runs.get(namespace + "/" + pod);
        if (run == null) {
            return pods.getStore().getByKey(namespace + "/" + pod) == null ? Optional.empty() : Optional.of("");
        }
        return Optional.of(run.container == null ? "" : run.container.logs(clock.now()));
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
        if (pod == null) {
            runs.remove(key);
            return;
        }
        if (!adopted(pod)) {
            adopt(pod);
            return;
        }
        Instant now = clock.now();
        PodRun run = runs.compute(key, (k, known) -> known != null && known.uid.equals(pod.getMetadata().getUid())
                ? known : resumed(pod, now));
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            stop(pod, run, now, terminal);
        } else if (!terminal) {
            advance(pod, run, now);
        }
    }

    /** Picks up a pod this kubelet has not seen, also one that was running before a restart of the sandbox. */
    private PodRun resumed(Pod pod, Instant now) {
        PodStatus status = pod.getStatus();
        Instant accepted = status != null && status.getStartTime() != null ? Instant.parse(status.getStartTime()) : now;
        PodRun run = new PodRun(pod.getMetadata().getUid(), accepted);
        Optional<String> startedAt = runningSince(pod);
        if (startedAt.isPresent()) {
            run.startedAt = Instant.parse(startedAt.get());
            run.container = runtime.start(pod, run.startedAt);
            run.written = "running";
        }
        return run;
    }

    private void advance(Pod pod, PodRun run, Instant now) {
        if (run.container == null) {
            SimulatedBehaviour behaviour = SimulatedBehaviour.of(pod);
            if (behaviour.imagePullError()) {
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
            run.startedAt = now;
            run.container = runtime.start(pod, now);
        }
        Optional<ContainerExit> exit = run.container.exit(now);
        if (exit.isPresent()) {
            write(pod, run, "terminated", PodStatuses.terminated(pod, run.acceptedAt, run.startedAt, exit.get()));
            return;
        }
        write(pod, run, "running", PodStatuses.running(pod, run.acceptedAt, run.startedAt));
        run.container.nextChange(now).ifPresent(at -> timers.at(at, key(pod), queue::add));
    }

    /** A deleted pod: SIGTERM, the grace period, the last status, then the finalizer goes and the pod with it. */
    private void stop(Pod pod, PodRun run, Instant now, boolean terminal) {
        if (terminal || run.container == null) {
            removeFinalizer(pod);
            return;
        }
        if (!run.stopping) {
            long grace = Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(), 30L);
            run.container.stop(now, now.plusSeconds(grace));
            run.stopping = true;
        }
        Optional<ContainerExit> exit = run.container.exit(now);
        if (exit.isEmpty()) {
            run.container.nextChange(now).ifPresent(at -> timers.at(at, key(pod), queue::add));
            return;
        }
        write(pod, run, "terminated", PodStatuses.terminated(pod, run.acceptedAt, run.startedAt, exit.get()));
        removeFinalizer(pod);
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
        return NODE.equals(pod.getSpec().getNodeName()) && pod.getMetadata().getFinalizers().contains(FINALIZER)
                && pod.getMetadata().getLabels() != null && "true".equals(pod.getMetadata().getLabels().get(SIMULATED));
    }

    private void adopt(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers());
        if (!finalizers.contains(FINALIZER)) {
            finalizers.add(FINALIZER);
        }
        Map<String, Object> patch = Map.of(
                "metadata", Map.of("finalizers", finalizers, "labels", Map.of(SIMULATED, "true"),
                        "annotations", Map.of(SIMULATED, SIMULATED_NOTE)),
                "spec", Map.of("nodeName", NODE));
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    }

    private void removeFinalizer(Pod pod) {
        List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers());
        if (!finalizers.remove(FINALIZER)) {
            return;
        }
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("finalizers", finalizers.isEmpty() ? null : finalizers);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata", metadata)));
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
