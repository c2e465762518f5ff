package dev.modelops.sandbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Settings of the sandbox; it runs only with the {@code sandbox} profile, which turns {@link #enabled()} on. */
@ConfigMapping(prefix = "modelops.sandbox")
public interface SandboxConfig {

    /** Start the embedded API server and the simulated runtime inside the operator's process. */
    @WithDefault("false")
    boolean enabled();

    /** Loopback port of the embedded API server; the operator's own client is configured for it. */
    @WithDefault("16080")
    int port();

    /** Where the kubeconfig for kubectl is written once the sandbox is ready. */
    @WithDefault("target/sandbox/kubeconfig")
    String kubeconfig();

    /**
     * The sandbox's folder of files, relative to the working directory: the working directory of the runner's
     * processes (given to them as {@code MODELOPS_SANDBOX_DATA}), where {@code file://} URIs point. Created if absent.
     */
    @WithDefault("sandbox-data")
    String dataDir();

    /** How pods of the runner image ({@code modelops.jobs.runner-image}) run. */
    Runner runner();

    interface Runner {

        /** Run them as local processes when the runner is there; {@code false} simulates every pod. */
        @WithDefault("true")
        boolean enabled();

        /** The runner's distribution: its jar and {@code lib/}, relative to the working directory. */
        @WithDefault("target/modelops-runner")
        String distribution();

        /**
         * The command that starts the runner, before the container's {@code args} (a comma-separated list); by
         * default the sandbox's own {@code java} with the distribution's classpath and {@code dev.modelops.runner.Runner}.
         * The process works in the data folder: give paths in it as absolute paths.
         */
        Optional<List<String>> command();
    }
}
