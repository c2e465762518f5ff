package dev.modelops.bench;

import dev.modelops.testing.ContainerJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the benchmark runs, from the environment: {@code BENCH_SCENARIOS} (scenario names, default
 * {@code modeljob-evaluate,modelversion-byom}), {@code BENCH_N} (sizes for every scenario; by default each scenario's
 * own, {@link Scenario#defaultSizes()}), {@code BENCH_IDLE_SECONDS} (default 60), {@code BENCH_LATENCY_RATE} (units
 * per second for every scenario; by default each scenario's own, {@link Scenario#latencyRate()}),
 * {@code BENCH_LATENCY_WARMUP_SECONDS} (default 5), {@code BENCH_LATENCY_SECONDS} (default 10) and
 * {@code BENCH_OPERATOR_OPTS} (the operator's JVM options; by default those of its container, {@link ContainerJvm}).
 *
 * @param scenarios the names of the scenarios to run, in order
 * @param sizes the numbers of units created at once, in order; empty for each scenario's own
 * @param idle how long to count writes when nothing changes, at the largest size
 * @param resync the operator's maximum reconciliation interval, shorter than {@code idle} so that it resyncs
 * @param latencyRate units created per second in the latency phase; empty for each scenario's own
 * @param latencyWarmup how long units are created at that rate, unmeasured, before the measured ones
 * @param latencyDuration how long the latency phase creates units
 * @param operatorJar the packaged operator
 * @param operatorJvmOptions the operator's JVM options
 * @param output where the operator's logs go
 */
record BenchSettings(List<String> scenarios, List<Integer> sizes, Duration idle, Duration resync,
        OptionalInt latencyRate, Duration latencyWarmup,
        Duration latencyDuration, Path operatorJar, List<String> operatorJvmOptions, Path output) {

    static final String DEFAULT_SCENARIOS = "modeljob-evaluate,modelversion-byom";

    static BenchSettings from(Map<String, String> env) {
        List<String> scenarios = Arrays.stream(env.getOrDefault("BENCH_SCENARIOS", DEFAULT_SCENARIOS).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("BENCH_SCENARIOS must name scenarios, such as " + DEFAULT_SCENARIOS);
        }
        List<Integer> sizes = Arrays.stream(env.getOrDefault("BENCH_N", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        if (sizes.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("BENCH_N must list positive sizes, such as 100,1000,10000");
        }
        Duration idle = Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_IDLE_SECONDS", "60")));
        Duration resync = idle.compareTo(Duration.ofSeconds(60)) >= 0 ? Duration.ofSeconds(15)
                : idle.dividedBy(2).plusSeconds(1);
        return new BenchSettings(scenarios, sizes, idle, resync,
                env.getOrDefault("BENCH_LATENCY_RATE", "").isBlank() ? OptionalInt.empty()
                        : OptionalInt.of(Integer.parseInt(env.get("BENCH_LATENCY_RATE").trim())),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_LATENCY_WARMUP_SECONDS", "5"))),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_LATENCY_SECONDS", "10"))),
                Path.of(env.getOrDefault("BENCH_OPERATOR_JAR", "target/quarkus-app/quarkus-run.jar")),
                env.containsKey("BENCH_OPERATOR_OPTS") ? List.of(env.get("BENCH_OPERATOR_OPTS").trim().split("\\s+"))
                        : ContainerJvm.options(ContainerJvm.DOCKERFILE, ContainerJvm.CHART_VALUES),
                Path.of("target", "bench"));
    }

    /** The sizes the scenario runs at, in order: {@code BENCH_N}'s, else its own. */
    List<Integer> sizes(Scenario<?> scenario) {
        return sizes.isEmpty() ? scenario.defaultSizes() : sizes;
    }

    /** The largest of them, where the idle writes are counted and the summary line is taken. */
    int largest(Scenario<?> scenario) {
        return sizes(scenario).stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** The scenario's units per second in the latency phase: {@code BENCH_LATENCY_RATE}, else its own. */
    int latencyRate(Scenario<?> scenario) {
        return latencyRate.orElse(scenario.latencyRate());
    }
}
