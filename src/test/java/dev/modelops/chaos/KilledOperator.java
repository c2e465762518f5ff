package dev.modelops.chaos;

import dev.modelops.testing.OperatorProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged operator in a process of its own, one replica with leader election off, killed with SIGKILL and
 * started again as a crashing pod would be. A process that exits by itself (JOSDK stops the operator when an
 * informer cannot start, as when the API server fails it at startup) is started again, as the kubelet restarts a
 * container, and counted apart. Each start has its own log, {@code operator-<n>.log}.
 */
final class KilledOperator implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(3);

    private final ChaosSettings settings;
    private final String apiServerUrl;
    private OperatorProcess process;
    private int starts;
    private int kills;
    private int exits;

    KilledOperator(ChaosSettings settings, String apiServerUrl) {
        this.settings = settings;
        this.apiServerUrl = apiServerUrl;
    }

    /** Starts a new process; does not wait for it to be ready. */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the operator runs already");
        }
        starts++;
        Path log = settings.output().resolve(String.format("operator-%02d.log", starts));
        process = OperatorProcess.start(settings.operatorJar(), settings.operatorJvmOptions(), apiServerUrl,
                // Why a log could not be kept, in the operator's log.
                Map.of("quarkus.log.category.\"dev.modelops.modeljob.LogArchive\".level", "DEBUG"), log);
    }

    /** Waits until a process is ready, starting it again each time it exits by itself first. */
    Duration awaitReady() throws InterruptedException, IOException {
        while (true) {
            try {
                return process.awaitReady(READY);
            } catch (IllegalStateException exited) {
                if (!restartIfExited()) {
                    throw exited;
                }
            }
        }
    }

    /** Starts a new process if the last one exited by itself; true if it did. */
    boolean restartIfExited() throws IOException {
        if (process == null || process.isAlive()) {
            return false;
        }
        exits++;
        start();
        return true;
    }

    /**
     * SIGKILL, checked to be that signal by the process's exit status. False when there was no process to kill: it
     * had exited by itself (and is started again).
     */
    boolean kill() throws InterruptedException, IOException {
        if (restartIfExited()) {
            return false;
        }
        process.kill();
        kills++;
        return true;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int kills() {
        return kills;
    }

    /** How many processes exited by themselves. */
    int exits() {
        return exits;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
