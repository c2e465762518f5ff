package dev.modelops.sandbox.runtime;

import java.time.Instant;

/** How a container ended: what the kubelet writes as {@code state.terminated}. */
public record ContainerExit(int exitCode, String reason, String message, Instant finishedAt) {
}
