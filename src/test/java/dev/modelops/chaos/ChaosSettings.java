package dev.modelops.chaos;

import dev.modelops.testing.ContainerJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the chaos suite runs, from the environment: {@code CHAOS_SEED} (default: the clock), {@code CHAOS_JOBS}
 * (compute ModelJobs, default 150), {@code CHAOS_KILLS} (SIGKILLs of the operator, default 10),
 * {@code CHAOS_API_RESTARTS} (restarts of the API server with its data kept, default 3), {@code CHAOS_FAULT_SHARE}
 * (the share of the operator's API requests answered with a fault, default 0.15), {@code CHAOS_MODELS} (models whose versions walk
 * their lifecycle; default one per 40 jobs, at least 2), {@code CHAOS_SETTLE_SECONDS} (how long the work may take to
 * settle after the last kill, default 120) and {@code CHAOS_OPERATOR_OPTS} (the operator's JVM options; by default
 * those of its container).
 *
 * @param seed every random choice of the run follows from it: the work, the kill points, the faults
 * @param jobs compute ModelJobs created by the run, in waves
 * @param kills how many times the operator is killed with SIGKILL and started again
 * @param apiRestarts how many times the API server restarts with its data kept
 * @param faultShare the share of API requests the fault plan answers with a fault
 * @param models models whose versions walk their lifecycle, four versions each
 * @param settle how long the work may take to settle after the last kill before what is unfinished counts as lost
 * @param operatorJar the packaged operator
 * @param operatorJvmOptions the operator's JVM options
 * @param output where the operator's logs go
 */
record ChaosSettings(long seed, int jobs, int kills, int apiRestarts, double faultShare, int models, Duration settle,
        Path operatorJar, List<String> operatorJvmOptions, Path output) {

    static ChaosSettings from(Map<String, String> env) {
        long seed = env.containsKey("CHAOS_SEED") ? Long.parseLong(env.get("CHAOS_SEED").trim())
                : System.currentTimeMillis();
        int jobs = positive(env, "CHAOS_JOBS", 150);
        return new ChaosSettings(seed, jobs, positive(env, "CHAOS_KILLS", 10),
                notNegative(env, "CHAOS_API_RESTARTS", 3),
                Double.parseDouble(env.getOrDefault("CHAOS_FAULT_SHARE", "0.15").trim()),
                positive(env, "CHAOS_MODELS", Math.max(2, (jobs + 39) / 40)),
                Duration.ofSeconds(positive(env, "CHAOS_SETTLE_SECONDS", 120)),
                Path.of(env.getOrDefault("CHAOS_OPERATOR_JAR", "target/quarkus-app/quarkus-run.jar")),
                env.containsKey("CHAOS_OPERATOR_OPTS") ? List.of(env.get("CHAOS_OPERATOR_OPTS").trim().split("\\s+"))
                        : ContainerJvm.options(ContainerJvm.DOCKERFILE, ContainerJvm.CHART_VALUES),
                Path.of("target", "chaos"));
    }

    ChaosSettings withOutput(Path output) {
        return new ChaosSettings(seed, jobs, kills, apiRestarts, faultShare, models, settle, operatorJar,
                operatorJvmOptions, output);
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        int value = Integer.parseInt(env.getOrDefault(name, Integer.toString(fallback)).trim());
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }

    private static int notNegative(Map<String, String> env, String name, int fallback) {
        int value = Integer.parseInt(env.getOrDefault(name, Integer.toString(fallback)).trim());
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, not " + value);
        }
        return value;
    }
}
