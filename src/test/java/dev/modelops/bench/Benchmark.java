package dev.modelops.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The scale benchmark (README, Benchmark): for each size in {@code BENCH_N}, the operator against the baseline on
 * an embedded API server with the simulated runtime; prints a table and, last, one machine-readable line.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.from(System.getenv());
        if (!Files.exists(settings.operatorJar())) {
            throw new IllegalStateException(settings.operatorJar() + " is missing: package the operator first");
        }
        Scenario<?> scenario = new ModelJobScenario();
        BenchRunner runner = new BenchRunner(settings);
        List<SizeResult> results = new ArrayList<>();
        for (int n : settings.sizes()) {
            results.add(runner.run(scenario, n, n == settings.largest()));
        }
        Report report = new Report(System.out);
        report.print(scenario.name(), results);
        report.summary(results.stream().filter(r -> r.n() == settings.largest()).findFirst().orElseThrow());
        System.exit(0);
    }
}
