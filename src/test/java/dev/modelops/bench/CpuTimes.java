package dev.modelops.bench;

import java.time.Duration;

/**
 * CPU time used during one part of a run, all threads together.
 *
 * @param operator the operator's process (zero in the baseline's part, which has none)
 * @param harness the benchmark's own process: the API server, the simulated runtime and the harness's clients
 */
record CpuTimes(Duration operator, Duration harness) {
}
