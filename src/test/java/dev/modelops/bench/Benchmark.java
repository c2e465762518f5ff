package dev.modelops.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The scale benchmark (README, Benchmark): for each scenario in {@code BENCH_SCENARIOS} and each size in
 * {@code BENCH_N}, the operator against the baseline on an embedded API server with the simulated runtime; prints a
 * table per scenario and, last, one machine-readable line per scenario. {@code runner-score}, only when named, is of
 * another kind ({@link RunnerScore}: the built-in runner against ONNX Runtime) and runs first.
 */
public final class Benchmark {

    /** Every scenario, by name, in the order they run. */
    static final Map<String, Scenario<?>> SCENARIOS = scenarios(new ModelJobScenario(), new ModelVersionScenario());
    /** Its summary line keeps its format and comes last: outside checks read it. */
    static final String SUMMARIZED_LAST = "modeljob-evaluate";

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
        if (settings.scenarios().contains(RunnerScore.NAME)) {
            new RunnerScore(System.getenv(), System.out).run();
        }
        List<String> names = settings.scenarios().stream().filter(name -> !name.equals(RunnerScore.NAME)).toList();
        if (names.isEmpty()) {
            return;
        }
        if (!Files.exists(settings.operatorJar())) {
            throw new IllegalStateException(settings.operatorJar() + " is missing: package the operator first");
        }
        List<Scenario<?>> chosen = names.stream().<Scenario<?>>map(name -> {
            Scenario<?> scenario = SCENARIOS.get(name);
            if (scenario == null) {
                throw new IllegalArgumentException("BENCH_SCENARIOS: no scenario " + name + "; there are "
                        + String.join(", ", SCENARIOS.keySet()) + ", " + RunnerScore.NAME);
            }
            return scenario;
        }).toList();
        BenchRunner runner = new BenchRunner(settings);
        Map<Scenario<?>, SizeResult> summarized = new LinkedHashMap<>();
        for (Scenario<?> scenario : chosen) {
            runner.warmUp(scenario, scenario.warmUpUnits());
            List<SizeResult> results = new ArrayList<>();
            for (int n : settings.sizes(scenario)) {
                results.add(runner.run(scenario, n, n == settings.largest(scenario)));
            }
            new Report(System.out).print(scenario, results);
            summarized.put(scenario, results.stream().filter(r -> r.n() == settings.largest(scenario)).findFirst()
                    .orElseThrow());
        }
        Report report = new Report(System.out);
        Stream.concat(summarized.keySet().stream().filter(s -> !s.name().equals(SUMMARIZED_LAST)),
                summarized.keySet().stream().filter(s -> s.name().equals(SUMMARIZED_LAST))).forEach(scenario -> {
                    if (scenario.name().equals(SUMMARIZED_LAST)) {
                        report.summary(summarized.get(scenario));
                    } else {
                        report.summary(scenario, summarized.get(scenario));
                    }
                });
    }

    private static Map<String, Scenario<?>> scenarios(Scenario<?>... scenarios) {
        Map<String, Scenario<?>> byName = new LinkedHashMap<>();
        for (Scenario<?> scenario : scenarios) {
            byName.put(scenario.name(), scenario);
        }
        return byName;
    }
}
