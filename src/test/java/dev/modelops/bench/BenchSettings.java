package dev.modelops.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the benchmark runs, from the environment: {@code BENCH_N} (sizes, default {@code 100,1000}),
 * {@code BENCH_IDLE_SECONDS} (default 60), {@code BENCH_LATENCY_RATE} (ModelJobs per second, default 100),
 * {@code BENCH_LATENCY_WARMUP_SECONDS} (default 5), {@code BENCH_LATENCY_SECONDS} (default 10) and
 * {@code BENCH_OPERATOR_OPTS} (the operator's JVM options; by default those of its container, {@link ContainerJvm}).
 *
 * @param sizes the numbers of units created at once, in order
 * @param idle how long to count writes when nothing changes, at the largest size
 * @param resync the operator's maximum reconciliation interval, shorter than {@code idle} so that it resyncs
 * @param latencyRate units created per second in the latency phase
 * @param latencyWarmup how long units are created at that rate, unmeasured, before the measured ones
 * @param latencyDuration how long the latency phase creates units
 * @param operatorJar the packaged operator
 * @param operatorJvmOptions the operator's JVM options
 * @param output where the operator's logs go
 */
record BenchSettings(List<Integer> sizes, Duration idle, Duration resync, int latencyRate, Duration latencyWarmup,
        Duration latencyDuration, Path operatorJar, List<String> operatorJvmOptions, Path output) {

    static BenchSettings from(Map<String, String> env) {
        List<Integer> sizes = Arrays.stream(env.getOrDefault("BENCH_N", "100,1000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("BENCH_N must list positive sizes, such as 100,1000,10000");
        }
        Duration idle = Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_IDLE_SECONDS", "60")));
        Duration resync = idle.compareTo(Duration.ofSeconds(60)) >= 0 ? Duration.ofSeconds(15)
                : idle.dividedBy(2).plusSeconds(1);
        return new BenchSettings(sizes, idle, resync,
                Integer.parseInt(env.getOrDefault("BENCH_LATENCY_RATE", "100")),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_LATENCY_WARMUP_SECONDS", "5"))),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_LATENCY_SECONDS", "10"))),
                Path.of(env.getOrDefault("BENCH_OPERATOR_JAR", "target/quarkus-app/quarkus-run.jar")),
                env.containsKey("BENCH_OPERATOR_OPTS") ? List.of(env.get("BENCH_OPERATOR_OPTS").trim().split("\\s+"))
                        : ContainerJvm.options(ContainerJvm.DOCKERFILE, ContainerJvm.CHART_VALUES),
                Path.of("target", "bench"));
    }

    int largest() {
        return sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
