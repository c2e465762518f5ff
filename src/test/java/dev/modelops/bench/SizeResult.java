package dev.modelops.bench;

import dev.modelops.sandbox.server.ApiRequestCounts;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What one size measured.
 *
 * @param n units created at once
 * @param baseline time for the baseline to finish them
 * @param operator time for the operator to finish them
 * @param operatorRequests the operator's requests while it finished them
 * @param baselineRequests the baseline's requests while it finished them
 * @param operatorCpu CPU time of the operator and of the benchmark's process while the operator finished them
 * @param baselineCpu CPU time of the benchmark's process (API server, runtime, baseline) while the baseline did
 * @param timelineEntriesPerUnit mean timeline entries of a finished unit
 * @param readyWithUnits time from start to Ready of an operator started with the n finished units in the API
 * @param idleWrites the operator's writes while nothing changed (empty when not measured at this size)
 * @param heapMiB the operator's heap after a full collection, with the units cached
 * @param rssMiB the operator's resident set size, with the units cached
 * @param latency unit created → launched object created, at a steady rate
 * @param baselineLatency the same for the baseline
 */
record SizeResult(int n, Duration baseline, Duration operator, ApiRequestCounts operatorRequests,
        ApiRequestCounts baselineRequests, CpuTimes operatorCpu, CpuTimes baselineCpu, double timelineEntriesPerUnit,
        Duration readyWithUnits, OptionalLong idleWrites, double heapMiB, OptionalLong rssMiB, Latencies latency,
        Latencies baselineLatency) {

    double baselinePerSecond() {
        return n / seconds(baseline);
    }

    double operatorPerSecond() {
        return n / seconds(operator);
    }

    double ratio() {
        return operatorPerSecond() / baselinePerSecond();
    }

    double writesPerUnit() {
        return (double) operatorRequests.writesExcept("events") / n;
    }

    double eventsPerUnit() {
        return (double) (operatorRequests.count("create", "events") + operatorRequests.count("patch", "events")) / n;
    }

    /** Milliseconds of CPU per unit. */
    double perUnit(Duration cpu) {
        return cpu.toNanos() / 1e6 / n;
    }

    double requestsPerUnit() {
        return (double) operatorRequests.total() / n;
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
