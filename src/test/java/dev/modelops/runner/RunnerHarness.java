package dev.modelops.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs the runner in-process through its seam: an environment in, the exit code, result and log out. */
public final class RunnerHarness {

    public static final Path TRAIN = Path.of("examples/data/fraud-train.csv").toAbsolutePath();
    public static final Path HOLDOUT = Path.of("examples/data/fraud-holdout.csv").toAbsolutePath();
    public static final Path MODEL = Path.of("examples/data/fraud-model.onnx").toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Outcome(int exitCode, String message, String log) {

        public JsonNode result() {
            try {
                return JSON.readTree(message);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + message, e);
            }
        }

        public double metric(String name) {
            JsonNode value = result().path("metrics").path(name);
            if (!value.isNumber()) {
                throw new AssertionError("no metric " + name + " in " + message);
            }
            return value.asDouble();
        }

        public String failure() {
            return result().path("message").asText();
        }
    }

    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();

    public RunnerHarness(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        env.put(RunnerEnv.MODEL, "fraud");
        env.put(RunnerEnv.MODEL_VERSION, "fraud-v1");
        env.put(RunnerEnv.ARTIFACT_STORE, dir.resolve("store").toUri().toString());
        env.put(RunnerEnv.WORK_DIR, dir.toString());
    }

    public RunnerHarness with(String name, String value) {
        env.put(name, value);
        return this;
    }

    public RunnerHarness without(String name) {
        env.remove(name);
        return this;
    }

    public Outcome run(String... args) {
        return run(new StopSignal(), args);
    }

    /** Runs a command that runs until stopped (serve) on a thread of its own; {@code stop} ends it. */
    public CompletableFuture<Outcome> start(StopSignal stop, String... args) {
        return CompletableFuture.supplyAsync(() -> run(stop, args), runnable -> {
            Thread thread = new Thread(runnable, "runner-harness");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private Outcome run(StopSignal stop, String... args) {
        Path termination = dir.resolve("termination-log");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            code = Runner.run(args, env, termination, out, stop);
        }
        try {
            String message = Files.exists(termination) ? Files.readString(termination) : "";
            Files.deleteIfExists(termination);
            String text = log.toString(StandardCharsets.UTF_8);
            System.out.print(text);
            return new Outcome(code, message, text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
