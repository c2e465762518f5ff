package dev.modelops.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The scale benchmark (README, Benchmark): for each size in {@code BENCH_N}, the operator against the baseline on
 * an embedded API server with the simulated runtime; prints a table and, last, one machine-readable line.
 */
public final class Benchmark {

    /** The summary line is the first scenario's, at the largest size: the compute ModelJob's. */
    private static final List<Scenario<?>> SCENARIOS = List.of(new ModelJobScenario());
    private static final int WARM_UP_UNITS = 300;

    private Benchmark() {
    }

    /** Exits by itself: the embedded servers' threads would keep the JVM alive, also after a failure. */
    public static void main(String[] args) {
        try {
            run(BenchSettings.from(System.getenv()));
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(BenchSettings settings) throws Exception {
        if (!Files.exists(settings.operatorJar())) {
            throw new IllegalStateException(settings.operatorJar() + " is missing: package the operator first");
        }
        BenchRunner runner = new BenchRunner(settings);
        SizeResult summarized = null;
        for (Scenario<?> scenario : SCENARIOS) {
            runner.warmUp(scenario, WARM_UP_UNITS);
            List<SizeResult> results = new ArrayList<>();
            for (int n : settings.sizes()) {
                results.add(runner.run(scenario, n, n == settings.largest()));
            }
            new Report(System.out).print(scenario.name(), results);
            if (summarized == null) {
                summarized = results.stream().filter(r -> r.n() == settings.largest()).findFirst().orElseThrow();
            }
        }
        new Report(System.out).summary(summarized);
    }
}
