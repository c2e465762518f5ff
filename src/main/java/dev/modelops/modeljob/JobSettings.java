package dev.modelops.modeljob;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The operator's defaults for the Jobs it launches, under {@code modelops.jobs.*}; a ModelVersion or ModelJob overrides them. */
@ConfigMapping(prefix = "modelops.jobs")
public interface JobSettings {

    /** Image of the steps that neither the ModelJob nor its ModelVersion give one (the built-in runner). */
    Optional<String> runnerImage();

    /** Pod retries before a Job fails: none, since a failed training run is usually deterministic. */
    @WithDefault("0")
    int backoffLimit();

    /** A job running or stuck (an image that cannot be pulled) longer than this fails with DeadlineExceeded. */
    @WithDefault("86400")
    long activeDeadlineSeconds();

    /** How long a finished Job and its pods stay; their logs outlive them in the ModelJob's logs ConfigMap. */
    @WithDefault("3600")
    int ttlSecondsAfterFinished();

    /** The end of each pod's log kept when a job ends. */
    @WithDefault("256K")
    MemorySize logTail();
}
