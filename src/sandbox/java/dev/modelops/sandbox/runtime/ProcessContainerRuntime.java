package dev.modelops.sandbox.runtime;

import dev.modelops.sandbox.server.PodLogSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs the runner image's containers as local processes and leaves every other container to another runtime (the
 * simulation). A pod's first container runs for real when its image is {@link RunnerLaunch#image()} and it sets no
 * {@code command}: the command is the launch's, followed by the container's {@code args}. A container that sets a
 * {@code command} replaces the image's entrypoint with a program of the image, which is not on this machine, so it
 * is simulated. The process works in the data folder and gets the container's {@code env} ({@link ProcessEnv}),
 * {@code MODELOPS_TERMINATION_LOG} (a file of its own), {@code MODELOPS_SANDBOX_DATA} and, for a server (a pod that
 * restarts its containers, or a container that declares ports), a free local port as {@code MODELOPS_PORT}, which
 * the pod's {@value #LOCAL_PORT} annotation shows.
 */
public final class ProcessContainerRuntime implements ContainerRuntime, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProcessContainerRuntime.class);
    public static final String LOCAL_PORT = SimulatedBehaviour.PREFIX + "local-port";
    /** The most of each process's log kept in memory (a kubelet keeps 10 MiB per log file). */
    static final long LOG_BYTES = 8L << 20;

    private final RunnerLaunch launch;
    private final ContainerRuntime others;
    private final SandboxClock clock;
    private final ProcessEnv env;
    private final Path terminationLogs;
    private final Set<ProcessRun> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-readiness-probes");
        t.setDaemon(true);
        return t;
    });

    /** @param client where {@code configMapKeyRef} and {@code secretKeyRef} are read; null to leave them out */
    public ProcessContainerRuntime(RunnerLaunch launch, ContainerRuntime others, SandboxClock clock,
            KubernetesClient client) {
        this.launch = launch;
        this.others = others;
        this.clock = clock;
        this.env = new ProcessEnv(client);
        try {
            Files.createDirectories(launch.dataDir());
            this.terminationLogs = Files.createTempDirectory("modelops-termination-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox data folder " + launch.dataDir(), e);
        }
    }

    /** Whether the pod's container runs as a local process. */
    public boolean runs(Pod pod) {
        List<Container> containers = pod.getSpec().getContainers();
        return !containers.isEmpty() && launch.image().equals(containers.get(0).getImage())
                && (containers.get(0).getCommand() == null || containers.get(0).getCommand().isEmpty());
    }

    @Override
    public ContainerRun start(Pod pod, Instant now) {
        if (!runs(pod)) {
            return others.start(pod, now);
        }
        if (closed) {
            return failed("StartError", "the sandbox is stopping", now);
        }
        Container container = pod.getSpec().getContainers().get(0);
        String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        Map<String, String> variables;
        try {
            variables = env.of(pod, container);
        } catch (RuntimeException e) {
            return failed("CreateContainerConfigError", e.getMessage(), now);
        }
        Integer port = serves(pod, container) ? freePort() : null;
        Path terminationLog = terminationLogs.resolve(pod.getMetadata().getUid() + "-" + System.nanoTime());
        variables.put("MODELOPS_TERMINATION_LOG", terminationLog.toString());
        variables.put("MODELOPS_SANDBOX_DATA", launch.dataDir().toString());
        if (port != null) {
            variables.put("MODELOPS_PORT", port.toString());
        }
        List<String> command = new ArrayList<>(launch.command());
        command.addAll(Objects.requireNonNullElse(container.getArgs(), List.of()));
        ProcessRun.Launch process = new ProcessRun.Launch(command, variables, launch.dataDir(), terminationLog,
                "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy()), port,
                port != null && container.getReadinessProbe() != null, LOG_BYTES);
        ProcessRun run = ProcessRun.start(process, clock, probes, running::remove);
        if (run.pid() < 0) {
            LOG.warnf("pod %s: the runner could not be started: %s", name, run.exit(now).orElseThrow().message());
            return run;
        }
        running.add(run);
        if (closed) {
            run.kill();
        }
        LOG.infof("pod %s: the runner runs as local process %d (args %s)%s", name, run.pid(),
                Objects.requireNonNullElse(container.getArgs(), List.of()),
                port == null ? "" : ", listening on http://127.0.0.1:" + port);
        return run;
    }

    /** A server: a pod that restarts its containers (a Deployment's), or a container that declares ports. */
    private static boolean serves(Pod pod, Container container) {
        return SimulatedBehaviour.serves(pod) || (container.getPorts() != null && !container.getPorts().isEmpty());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    private ContainerRun failed(String reason, String message, Instant now) {
        ContainerExit exit = new ContainerExit(128, reason, message, now);
        return new ContainerRun() {
            @Override
            public List<PodLogSource.Line> logs(Instant at) {
                return List.of();
            }

            @Override
            public Optional<ContainerExit> exit(Instant at) {
                return Optional.of(exit);
            }

            @Override
            public void stop(Instant at, Instant killAt) {
            }

            @Override
            public Optional<Instant> nextChange(Instant at) {
                return Optional.empty();
            }
        };
    }

    /** Kills the processes still running: none outlives the sandbox. */
    @Override
    public void close() {
        closed = true;
        probes.shutdownNow();
        running.forEach(ProcessRun::kill);
        running.clear();
    }
}
