package dev.modelops.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time of this process (the benchmark's, with the API server and the runtime in it), all threads together. */
final class HarnessCpu {

    private HarnessCpu() {
    }

    /**
     * Waits until this process has used less than a tenth of a core over a second, twice in a row: the API server and
     * the runtime have finished what the last step left them (deletions, the garbage collector's cascades), so that
     * the next measurement does not share the cores with it.
     */
    static void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration window = Duration.ofSeconds(1);
        for (int quiet = 0; quiet < 2; ) {
            Duration before = time();
            Thread.sleep(window.toMillis());
            quiet = time().minus(before).compareTo(window.dividedBy(10)) < 0 ? quiet + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the API server and runtime were still busy after " + timeout);
            }
        }
    }

    static Duration time() {
        return Duration.ofNanos(((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
    }
}
