package dev.modelops.testing;

import dev.modelops.sandbox.runtime.ProcessContainerRuntime;
import dev.modelops.sandbox.runtime.RunnerLaunch;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.runtime.SimulatedContainerRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A fresh API server and runtime per test, where pods of {@link #RUNNER} run {@link #mainClass()} from the test's
 * class path as real local processes, working in {@link #data}; every other pod is simulated.
 */
public abstract class ProcessClusterTest extends SimulatedClusterTest {

    public static final String RUNNER = "ghcr.io/modelops-dev/modelops-runner:test";

    @TempDir
    protected static Path data;
    protected ProcessContainerRuntime runtime;

    /** The program the runner image's pods run. */
    protected abstract String mainClass();

    @Override
    protected SimulatedCluster startRuntime() {
        runtime = new ProcessContainerRuntime(new RunnerLaunch(RUNNER, RunnerLaunch.javaCommand(
                System.getProperty("java.class.path"), mainClass()), data),
                new SimulatedContainerRuntime(), clock, server.newClient("test-runtime"));
        return SimulatedCluster.start(server, clock, runtime, TICK);
    }

    /** The cluster first, so that its kubelet starts no process after the runtime killed its own. */
    @AfterEach
    @Override
    protected void stopCluster() {
        cluster.close();
        cluster = null;
        runtime.close();
        super.stopCluster();
    }
}
