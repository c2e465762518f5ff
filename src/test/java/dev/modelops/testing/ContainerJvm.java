package dev.modelops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options of the operator's container, read from its Dockerfile so that the benchmark and the chaos suite
 * run the operator as the image does: the collector ({@code GC_CONTAINER_OPTIONS}), the heap share
 * ({@code JAVA_MAX_MEM_RATIO}), how much free heap it keeps ({@code GC_MIN_HEAP_FREE_RATIO},
 * {@code GC_MAX_HEAP_FREE_RATIO}), the {@code -XX} options of {@code JAVA_OPTS_APPEND}; and a machine of the memory
 * limit of the Helm chart's values, from which the JVM sizes its heap as in the container.
 */
public final class ContainerJvm {

    public static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");
    public static final Path CHART_VALUES = Path.of("helm", "modelops-operator", "values.yaml");
    private static final Pattern ENV = Pattern.compile("^ENV (\\w+)=\"([^\"]*)\"", Pattern.MULTILINE);
    private static final Pattern MEMORY_LIMIT = Pattern.compile("limits:\\s*\\n\\s+memory:\\s*(\\d+)Mi");

    private ContainerJvm() {
    }

    public static List<String> options(Path dockerfile, Path chartValues) {
        Matcher limit = MEMORY_LIMIT.matcher(read(chartValues));
        if (!limit.find()) {
            throw new IllegalStateException(chartValues + " sets no memory limit in Mi");
        }
        List<String> options = new ArrayList<>(List.of("-XX:MaxRAM=" + limit.group(1) + "m"));
        Matcher env = ENV.matcher(read(dockerfile));
        while (env.find()) {
            String value = env.group(2).trim();
            switch (env.group(1)) {
                case "GC_CONTAINER_OPTIONS" -> options.addAll(Arrays.asList(value.split("\\s+")));
                case "JAVA_MAX_MEM_RATIO" -> options.add("-XX:MaxRAMPercentage=" + value);
                case "GC_MIN_HEAP_FREE_RATIO" -> options.add("-XX:MinHeapFreeRatio=" + value);
                case "GC_MAX_HEAP_FREE_RATIO" -> options.add("-XX:MaxHeapFreeRatio=" + value);
                case "JAVA_OPTS_APPEND" -> Arrays.stream(value.split("\\s+")).filter(o -> o.startsWith("-XX:"))
                        .forEach(options::add);
                default -> {
                }
            }
        }
        return List.copyOf(options);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
