package dev.modelops.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runner-score} reports the runner's peak RSS and CPU from /proc; this proves them on a child of known size. */
@EnabledOnOs(OS.LINUX)
class ChildUsageTest {

    /** The child: touches 200 MiB of heap, drops them and idles, so that its peak is above its last RSS. */
    public static void main(String[] args) throws InterruptedException {
        byte[] big = new byte[200 << 20];
        for (int i = 0; i < big.length; i += 4096) {
            big[i] = 1;
        }
        System.out.println(big[big.length - 4096]);
        big = null;
        Thread.sleep(300);
    }

    @Test
    void seesTheChildsPeakResidentSetAfterItFreedItAndItsCpu() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Xms512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ChildUsageTest.class.getName())).inheritIO().start();
        double peak;
        double cpu;
        try (ChildUsage usage = ChildUsage.watch(child)) {
            assertEquals(0, child.waitFor());
            peak = usage.peakMiB();
            cpu = usage.cpuSeconds();
        }
        assertTrue(peak >= 200, "peak RSS " + peak + " MiB");
        assertTrue(cpu > 0, "CPU " + cpu + " s");
    }
}
