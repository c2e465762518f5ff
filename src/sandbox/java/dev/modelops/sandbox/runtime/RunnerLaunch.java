package dev.modelops.sandbox.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the sandbox runs the runner image's containers as local processes: the image they are recognised by, the
 * command that starts the runner (the container's {@code args} follow it), and the data folder that is the process's
 * working directory and that {@code file://} URIs point into.
 */
public record RunnerLaunch(String image, List<String> command, Path dataDir) {

    public static final String MAIN_CLASS = "dev.modelops.runner.Runner";

    public RunnerLaunch {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the runner's command is empty");
        }
        command = List.copyOf(command);
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * The runner of a distribution folder (its jars in {@code lib/}, as {@code ./mvnw package} leaves them, or beside
     * it), started by the JVM that runs the sandbox; empty when neither holds a jar.
     */
    public static Optional<List<String>> distributionCommand(Path distribution) {
        Path dir = distribution.toAbsolutePath().normalize();
        if (!hasJar(dir) && !hasJar(dir.resolve("lib"))) {
            return Optional.empty();
        }
        return Optional.of(javaCommand(dir.resolve("lib") + "/*" + java.io.File.pathSeparator + dir + "/*", MAIN_CLASS));
    }

    /**
     * {@code java -cp <classpath> <main>} with the java of the running JVM. A long class path (a test's) goes in an
     * argument file, {@code java @file <main>}: ONNX Runtime 1.29 crashes (SIGSEGV, no JVM error report) when it
     * creates its environment in a process whose command line is longer than about 4 KB.
     */
    public static List<String> javaCommand(String classpath, String mainClass) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (classpath.length() < 1024) {
            return List.of(java, "-cp", classpath, mainClass);
        }
        try {
            Path arguments = Files.createTempFile("modelops-runner-classpath-", ".args");
            arguments.toFile().deleteOnExit();
            Files.writeString(arguments, "-cp\n\"" + classpath.replace("\\", "\\\\") + "\"\n");
            return List.of(java, "@" + arguments, mainClass);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the runner's argument file", e);
        }
    }

    private static boolean hasJar(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
