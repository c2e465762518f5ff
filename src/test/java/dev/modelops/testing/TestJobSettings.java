package dev.modelops.testing;

import dev.modelops.workload.JobSettings;
import dev.modelops.workload.PodSecurityLevel;
import io.quarkus.runtime.configuration.MemorySize;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The operator's job settings at their defaults, for tests that build the controller or its parts by hand. */
public record TestJobSettings(PodSecurityLevel podSecurity, List<String> accounts, Optional<String> runnerImage,
        Optional<String> artifactStore) implements JobSettings {

    public TestJobSettings(PodSecurityLevel podSecurity, List<String> accounts) {
        this(podSecurity, accounts, Optional.empty(), Optional.empty());
    }

    public static TestJobSettings defaults() {
        return new TestJobSettings(PodSecurityLevel.baseline, List.of());
    }

    /** The defaults, with the steps that give no image running the built-in runner, which keeps its files there. */
    public static TestJobSettings withRunner(String image, String artifactStore) {
        return new TestJobSettings(PodSecurityLevel.baseline, List.of(), Optional.of(image), Optional.of(artifactStore));
    }

    @Override
    public int backoffLimit() {
        return 0;
    }

    @Override
    public long activeDeadlineSeconds() {
        return 86400;
    }

    @Override
    public int ttlSecondsAfterFinished() {
        return 3600;
    }

    @Override
    public MemorySize logTail() {
        return new MemorySize(BigInteger.valueOf(256 * 1024));
    }

    @Override
    public Optional<List<String>> serviceAccounts() {
        return Optional.of(accounts);
    }

    @Override
    public Duration podCreationTimeout() {
        return Duration.ofSeconds(30);
    }
}
