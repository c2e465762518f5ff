package dev.modelops.sandbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
