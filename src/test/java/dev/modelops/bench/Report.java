package dev.modelops.bench;

import dev.modelops.sandbox.server.ApiRequestCounts;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** Prints what the sizes measured: a row per size, the API requests of one unit's lifecycle and the summary line. */
final class Report {

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void print(Scenario<?> scenario, List<SizeResult> results) {
        out.println();
        out.println("== " + scenario.name() + ": " + scenario.description() + " ==");
        String header = "%8s %11s %11s %6s %9s %10s %10s %10s %12s %9s %9s %10s %8s %8s %8s %12s %9s %9s %8s %11s%n";
        out.printf(Locale.ROOT, header, "N", "baseline/s", "operator/s", "ratio", "ms/unit", "writes/u", "events/u",
                "timeline/u", "requests/u", "cpu_ms/u", "api_cpu/u", "base_cpu/u", "p50_ms", "p95_ms", "p99_ms",
                "base_p99_ms", "ready_s", "heap_mib", "rss_mib", "idle_writes");
        for (SizeResult r : results) {
            out.printf(Locale.ROOT, "%8d %11.1f %11.1f %6.2f %9.2f %10.2f %10.2f %10.2f %12.2f %9.1f %9.1f %10.1f"
                    + " %8.1f %8.1f %8.1f %12.1f %9.2f %9.1f %8s %11s%n",
                    r.n(), r.baselinePerSecond(), r.operatorPerSecond(), r.ratio(),
                    1000 * SizeResult.seconds(r.operator()) / r.n(), r.writesPerUnit(), r.eventsPerUnit(),
                    r.timelineEntriesPerUnit(), r.requestsPerUnit(), r.perUnit(r.operatorCpu().operator()),
                    r.perUnit(r.operatorCpu().harness()), r.perUnit(r.baselineCpu().harness()),
                    r.latency().percentile(50),
                    r.latency().percentile(95), r.latency().percentile(99), r.baselineLatency().percentile(99),
                    SizeResult.seconds(r.readyWithUnits()),
                    r.heapMiB(), r.rssMiB().isPresent() ? Long.toString(r.rssMiB().getAsLong()) : "-",
                    r.idleWrites().isPresent() ? Long.toString(r.idleWrites().getAsLong()) : "-");
        }
        SizeResult largest = results.get(results.size() - 1);
        SizeResult smallest = results.get(0);
        if (largest.n() > smallest.n()) {
            out.println();
            out.printf(Locale.ROOT, "Cost per unit from N=%d to N=%d (x%.0f units; 1.00 = total cost grows as N):"
                            + " time x%.2f, operator CPU x%.2f, API requests x%.2f%n", smallest.n(), largest.n(),
                    (double) largest.n() / smallest.n(),
                    growth(largest, smallest, r -> SizeResult.seconds(r.operator())),
                    growth(largest, smallest, r -> r.perUnit(r.operatorCpu().operator()) * r.n()),
                    growth(largest, smallest, r -> (double) r.operatorRequests().total()));
        }
        out.println();
        out.printf(Locale.ROOT, "API requests per unit lifecycle at N=%d (counted at the API server, by client)%n",
                largest.n());
        printPerUnit(largest.operatorRequests(), largest.baselineRequests(), largest.n());
        out.println();
        out.println("ratio: operator jobs/s over baseline jobs/s (the same API work with one client, no operator);"
                + " writes/u: writes other than Events; cpu_ms/u: the operator's CPU per unit while it finished them;"
                + " api_cpu/u: the same for the API server, runtime and harness, in one process; base_cpu/u: that"
                + " process's CPU per unit while the baseline finished them (its client included);"
                + " ready_s: start to Ready with the N units in the API;"
                + " heap after a full GC and RSS with them cached; p50-p99: unit created -> " + scenario.latencyEnd()
                + " at a steady rate, after a warm-up at that rate; base_p99_ms: the same for the baseline;"
                + " idle_writes: writes during the idle window (largest N only)");
    }

    /** How the per-unit value of {@code total} at the largest size compares with the smallest's. */
    private static double growth(SizeResult largest, SizeResult smallest, ToDoubleFunction<SizeResult> total) {
        return (total.applyAsDouble(largest) / largest.n()) / (total.applyAsDouble(smallest) / smallest.n());
    }

    private void printPerUnit(ApiRequestCounts operator, ApiRequestCounts baseline, int n) {
        TreeSet<String> keys = new TreeSet<>(operator.counts().keySet());
        keys.addAll(baseline.counts().keySet());
        String row = "%-10s %-22s %10s %10s%n";
        out.printf(Locale.ROOT, row, "VERB", "RESOURCE", "OPERATOR", "BASELINE");
        for (String key : keys) {
            String[] verbAndResource = key.split(" ", 2);
            out.printf(Locale.ROOT, row, verbAndResource[0], verbAndResource[1],
                    perUnit(operator.counts().getOrDefault(key, 0L), n),
                    perUnit(baseline.counts().getOrDefault(key, 0L), n));
        }
        out.printf(Locale.ROOT, row, "TOTAL", "", perUnit(operator.total(), n), perUnit(baseline.total(), n));
        out.printf(Locale.ROOT, row, "WRITES", "(not Events)", perUnit(operator.writesExcept("events"), n),
                perUnit(baseline.writesExcept("events"), n));
    }

    private static String perUnit(long count, int n) {
        return String.format(Locale.ROOT, "%.2f", (double) count / n);
    }

    /**
     * The machine-readable line of another scenario than the compute ModelJob's, for the largest size: the same
     * measures, named by the scenario and its unit.
     */
    void summary(Scenario<?> scenario, SizeResult largest) {
        String unit = scenario.unitNoun();
        out.printf(Locale.ROOT, "bench: scenario=%s n=%d ratio=%.2f writes_per_%s=%.2f p99_ms=%.1f events_per_%s=%.2f"
                        + " idle_writes=%s rss_mib=%s%n",
                scenario.name(), largest.n(), largest.ratio(), unit, largest.writesPerUnit(),
                largest.latency().percentile(99), unit, largest.eventsPerUnit(),
                largest.idleWrites().isPresent() ? Long.toString(largest.idleWrites().getAsLong()) : "NA",
                largest.rssMiB().isPresent() ? Long.toString(largest.rssMiB().getAsLong()) : "NA");
    }

    /** The machine-readable last line, for the largest size. */
    void summary(SizeResult largest) {
        out.printf(Locale.ROOT, "bench: n=%d ratio=%.2f writes_per_job=%.2f events_per_job=%.2f idle_writes=%s"
                        + " p99_ms=%.1f rss_mib=%s%n",
                largest.n(), largest.ratio(), largest.writesPerUnit(), largest.eventsPerUnit(),
                largest.idleWrites().isPresent() ? Long.toString(largest.idleWrites().getAsLong()) : "NA",
                largest.latency().percentile(99),
                largest.rssMiB().isPresent() ? Long.toString(largest.rssMiB().getAsLong()) : "NA");
    }
}
