package dev.modelops.sandbox.runtime;

import dev.modelops.sandbox.server.PodLogSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A container run as a local process. Its stdout and stderr lines are kept with the time each was read; its exit is
 * the process's (143 after SIGTERM, 137 once killed), its termination message the file named by
 * {@code MODELOPS_TERMINATION_LOG} (the first 4096 bytes, as a kubelet reads it), or with
 * {@code FallbackToLogsOnError} and an empty file the end of its log for a failure. The kubelet is woken when it exits
 * or becomes ready. Times come from the sandbox clock, but the process lives in real time: a manual clock moved by a
 * test neither hurries nor slows it, except that the kill after a stop's grace period comes when the clock says so.
 */
final class ProcessRun implements ContainerRun {

    /** Kubernetes' limits: the termination message file, and the log's end taken for FallbackToLogsOnError. */
    static final int MESSAGE_BYTES = 4096;
    private static final int FALLBACK_LINES = 80;
    private static final int FALLBACK_BYTES = 2048;
    private static final long PROBE_MILLIS = 200;

    /** What to run and how it is watched; {@code port} is the local port it is told to listen on, if any. */
    record Launch(List<String> command, Map<String, String> env, Path workDir, Path terminationLog,
            boolean fallbackToLogs, Integer port, boolean probesReadiness, long logBytes) {
    }

    private final Launch launch;
    private final SandboxClock clock;
    private final PrintedLines printed;
    private final Process process;
    private volatile ContainerExit exit;
    private volatile Instant readyAt;
    private volatile Runnable wake = () -> { };
    private volatile Instant killAt;
    private volatile boolean killed;

    private ProcessRun(Launch launch, SandboxClock clock, Process process, ContainerExit failedStart) {
        this.launch = launch;
        this.clock = clock;
        this.printed = new PrintedLines(launch.logBytes());
        this.process = process;
        this.exit = failedStart;
    }

    /** Starts the process; one that cannot be started is a container that ended at once with {@code StartError}. */
    static ProcessRun start(Launch launch, SandboxClock clock, ScheduledExecutorService probes,
            Consumer<ProcessRun> ended) {
        ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.workDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(launch.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ProcessRun(launch, clock, null, new ContainerExit(128, "StartError",
                    "failed to start the runner: " + e.getMessage(), clock.now()));
        }
        ProcessRun run = new ProcessRun(launch, clock, process, null);
        Thread stderr = daemon("stderr-" + process.pid(), () -> run.read(process.getErrorStream()));
        daemon("stdout-" + process.pid(), () -> {
            run.read(process.getInputStream());
            run.exited(stderr);
            ended.accept(run);
        });
        if (launch.probesReadiness()) {
            probes.schedule(() -> run.probe(probes), PROBE_MILLIS, TimeUnit.MILLISECONDS);
        }
        return run;
    }

    /** Process id, or -1 for one that could not be started. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, "sandbox-runner-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void read(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                printed.add(clock.now(), line);
            }
        } catch (IOException e) {
            // the stream closed under us: the process is gone
        }
    }

    /** Once stdout closed: waits for the process and stderr, then records the exit and wakes the kubelet. */
    private void exited(Thread stderr) {
        int code;
        try {
            code = process.waitFor();
            stderr.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        exit = new ContainerExit(code, code == 0 ? "Completed" : "Error", message(code), clock.now());
        wake.run();
    }

    private String message(int code) {
        String message = "";
        try {
            if (Files.exists(launch.terminationLog())) {
                try (InputStream in = Files.newInputStream(launch.terminationLog())) {
                    message = new String(in.readNBytes(MESSAGE_BYTES), StandardCharsets.UTF_8);
                }
                Files.delete(launch.terminationLog());
            }
        } catch (IOException e) {
            message = "";
        }
        if (message.isEmpty() && code != 0 && launch.fallbackToLogs()) {
            message = printed.tail(FALLBACK_LINES, FALLBACK_BYTES);
        }
        return message.isEmpty() ? null : message;
    }

    /** A TCP connect to its port, as a kubelet's {@code tcpSocket} probe, until one succeeds or it exits. */
    private void probe(ScheduledExecutorService probes) {
        if (exit != null || !process.isAlive()) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", launch.port()), (int) PROBE_MILLIS);
            readyAt = clock.now();
            wake.run();
        } catch (IOException e) {
            probes.schedule(() -> probe(probes), PROBE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public List<PodLogSource.Line> logs(Instant now) {
        return printed.snapshot().lines();
    }

    @Override
    public Printed printed(Instant now) {
        return printed.snapshot();
    }

    @Override
    public Optional<ContainerExit> exit(Instant now) {
        Instant kill = killAt;
        if (exit == null && kill != null && !now.isBefore(kill)) {
            kill();
        }
        return Optional.ofNullable(exit);
    }

    @Override
    public void stop(Instant now, Instant killAt) {
        if (process == null || exit != null || this.killAt != null) {
            return;
        }
        this.killAt = killAt;
        if (now.isBefore(killAt)) {
            process.destroy();
        } else {
            kill();
        }
    }

    /** SIGKILL, to the process and whatever it started. */
    void kill() {
        if (process != null && !killed) {
            killed = true;
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** The kill at the end of a stop's grace period, on the sandbox clock; the rest comes through the wake-up. */
    @Override
    public Optional<Instant> nextChange(Instant now) {
        return exit == null && killAt != null && !killed ? Optional.of(killAt) : Optional.empty();
    }

    @Override
    public void whenChanged(Runnable wake) {
        this.wake = wake;
        if (exit != null || readyAt != null) {
            wake.run();
        }
    }

    @Override
    public boolean probesReadiness() {
        return launch.probesReadiness();
    }

    @Override
    public Optional<Instant> readyAt(Instant now) {
        return exit == null ? Optional.ofNullable(readyAt) : Optional.empty();
    }

    @Override
    public Map<String, String> podAnnotations() {
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        annotations.put(Kubelet.SIMULATED, process == null ? "The runner could not be started as a local process."
                : "No container ran: the modelops sandbox ran the runner as local process " + process.pid() + ".");
        if (launch.port() != null) {
            annotations.put(ProcessContainerRuntime.LOCAL_PORT, launch.port().toString());
        }
        return annotations;
    }
}
