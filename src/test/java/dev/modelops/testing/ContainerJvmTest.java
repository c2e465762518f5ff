package dev.modelops.testing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmark and the chaos suite run the operator with its image's JVM options; this breaks when the Dockerfile
 * stops saying them.
 */
class ContainerJvmTest {

    @Test
    void readsTheImagesCollectorHeapShareFreeHeapAndCompilerAndTheChartsMemoryLimit() {
        assertEquals(List.of("-XX:MaxRAM=512m", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50",
                "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:TieredStopAtLevel=1",
                "-XX:InitialRAMPercentage=20", "-XX:MetaspaceSize=64m"),
                ContainerJvm.options(ContainerJvm.DOCKERFILE, ContainerJvm.CHART_VALUES));
    }
}
