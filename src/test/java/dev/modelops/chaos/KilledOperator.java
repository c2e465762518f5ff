package dev.modelops.chaos;

import dev.modelops.testing.OperatorProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged operator in a process of its own, one replica with leader election off, killed with SIGKILL and
 * started again as a crashing pod would be. Each start has its own log, {@code operator-<n>.log}.
 */
final class KilledOperator implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(3);

    private final ChaosSettings settings;
    private final String apiServerUrl;
    private OperatorProcess process;
    private int starts;
    private int kills;

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

    Duration awaitReady() throws InterruptedException {
        return process.awaitReady(READY);
    }

    /** SIGKILL: checked to be that signal by the process's exit status. */
    void kill() throws InterruptedException {
        process.kill();
        kills++;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int kills() {
        return kills;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
