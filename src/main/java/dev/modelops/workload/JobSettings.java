package dev.modelops.workload;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's defaults and limits for the pods it launches, under {@code modelops.jobs.*}; a ModelVersion or
 * ModelJob overrides the defaults, never the limits.
 */
@ConfigMapping(prefix = "modelops.jobs")
public interface JobSettings {

    /** Image of the steps that neither the ModelJob nor its ModelVersion give one (the built-in runner). */
    Optional<String> runnerImage();

    /**
     * Where the built-in runner stores the artifacts and reports it makes ({@code MODELOPS_ARTIFACT_STORE} of every
     * pod, unless its template sets it): a {@code file://} folder that the pods mount, or {@code s3://bucket/prefix}.
     */
    Optional<String> artifactStore();

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

    /**
     * The most a template's security context may ask for, as a Pod Security Standard level: {@code restricted},
     * {@code baseline} or {@code privileged}. A template above it is refused.
     */
    @WithDefault("baseline")
    PodSecurityLevel podSecurity();

    /** Service accounts a template may name; none by default, so pods run as the namespace's default account. */
    Optional<List<String>> serviceAccounts();

    /** How long a Job may go without a pod before the ModelJob says that it is stuck. */
    @WithDefault("30s")
    Duration podCreationTimeout();
}
