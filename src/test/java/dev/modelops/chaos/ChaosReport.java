package dev.modelops.chaos;

import dev.modelops.sandbox.server.FaultCounts;

import java.io.PrintStream;
import java.time.Duration;

/**
 * What a chaos run found: every defect in detail, then one line for people and one, last, for machines, exactly
 * {@code chaos: seed=<s> jobs=<n> restarts=<r> faults=<f> duplicates=<d> lost=<l> bad_inputs=<b> rejected=<k>}.
 */
record ChaosReport(long seed, int jobs, int restarts, int exits, FaultCounts faults, int apiRestarts,
        Defects defects, int badInputs, int rejected, Duration took) {

    long duplicates() {
        return defects.count(Defects.Kind.DUPLICATE);
    }

    long lost() {
        return defects.count(Defects.Kind.LOST);
    }

    boolean passed() {
        return duplicates() == 0 && lost() == 0;
    }

    void print(PrintStream out) {
        defects.print(out);
        out.printf("chaos run of %.0f s: %d operator kills (SIGKILL) and restarts, %d exits of the operator by"
                + " itself (restarted as a kubelet would), %d API server restarts with the data kept, faults injected %s; rerun with"
                + " CHAOS_SEED=%d%n", took.toMillis() / 1000.0, restarts, exits, apiRestarts, faults, seed);
        out.println(summary());
        out.flush();
    }

    String summary() {
        return "chaos: seed=" + seed + " jobs=" + jobs + " restarts=" + restarts + " faults=" + faults.total()
                + " duplicates=" + duplicates() + " lost=" + lost() + " bad_inputs=" + badInputs
                + " rejected=" + rejected;
    }
}
