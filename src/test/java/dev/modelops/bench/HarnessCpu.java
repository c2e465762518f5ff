package dev.modelops.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time of this process (the benchmark's, with the API server and the runtime in it), all threads together. */
final class HarnessCpu {

    private HarnessCpu() {
    }

    static Duration time() {
        return Duration.ofNanos(((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
    }
}
