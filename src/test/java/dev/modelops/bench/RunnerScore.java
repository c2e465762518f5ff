package dev.modelops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.runner.score.ScoreCommand;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The scenario {@code runner-score} (README, Benchmark), not among the default ones: the built-in runner's
 * {@code score} on the examples' fraud data against its limit, ONNX Runtime called directly ({@link OnnxLimit}). For
 * each size in {@code RUNNER_BENCH_ROWS} (default {@code 100000,1000000}) and each input format in
 * {@code RUNNER_BENCH_INPUTS} ({@code csv}; also {@code parquet}), {@code RUNNER_BENCH_RUNS} times (2): the packaged
 * runner ({@code target/modelops-runner/lib}) as a child process with its image's JVM options (or
 * {@code RUNNER_BENCH_JAVA_OPTS}) scores the dataset into a CSV file, watched for its peak RSS and CPU time
 * ({@link ChildUsage}, Linux only); then the limit runs over the same batches in a JVM of the same options. All of it
 * for each model of {@code RUNNER_BENCH_MODELS} ({@code example,mlp}, both by default): {@code example} is the
 * examples' logistic regression ({@code examples/data/fraud-model.onnx}, about 0.1 µs a row in ONNX Runtime, so the
 * ratio mostly measures reading the CSV), {@code mlp} an untrained multilayer perceptron over the same features
 * ({@link MlpModel}, built at run time), whose inference is real work; the models alternate within each size and run,
 * so that the shared machine's noise falls on both. One line per model and run, then one summary line per model.
 */
final class RunnerScore {

    static final String NAME = "runner-score";
    static final double TARGET_RATIO = 0.7;

    private static final Path DISTRIBUTION = Path.of("target", "modelops-runner", "lib");
    private static final Path MODEL = Path.of("examples", "data", "fraud-model.onnx");
    private static final List<String> MODELS = List.of("example", "mlp");
    private static final Path RUNNER_DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.runner");
    private static final Pattern TOOL_OPTIONS = Pattern.compile("^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"",
            Pattern.MULTILINE);
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");
    private static final Pattern LIMIT = Pattern.compile("^onnx_rows_per_s=([0-9.E]+)$", Pattern.MULTILINE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir = Path.of("target", "bench", NAME);
    private final List<Integer> sizes;
    private final List<String> inputs;
    private final List<String> models;
    private final int runs;
    private final int batchSize;
    private final List<String> javaOptions;
    private final PrintStream out;

    /** One run of one model and size: what the runner reported and what was measured around it. */
    record Run(String model, String input, int rows, int run, double runnerRowsPerSecond, double wallSeconds,
            double cpuSeconds, double peakRssMiB, double onnxRowsPerSecond) {

        double ratio() {
            return runnerRowsPerSecond / onnxRowsPerSecond;
        }

        double wallRatio() {
            return rows / wallSeconds / onnxRowsPerSecond;
        }
    }

    RunnerScore(Map<String, String> env, PrintStream out) throws Exception {
        this.sizes = list(env.getOrDefault("RUNNER_BENCH_ROWS", "100000,1000000")).stream().map(Integer::parseInt)
                .toList();
        this.inputs = list(env.getOrDefault("RUNNER_BENCH_INPUTS", "csv"));
        this.models = list(env.getOrDefault("RUNNER_BENCH_MODELS", String.join(",", MODELS)));
        if (models.isEmpty() || !MODELS.containsAll(models)) {
            throw new IllegalArgumentException("RUNNER_BENCH_MODELS must list example and/or mlp, not " + models);
        }
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n <= 0)
                || inputs.stream().anyMatch(i -> !i.equals("csv") && !i.equals("parquet"))) {
            throw new IllegalArgumentException("RUNNER_BENCH_ROWS must list positive sizes, such as 100000,1000000,"
                    + " and RUNNER_BENCH_INPUTS csv and/or parquet");
        }
        this.runs = Integer.parseInt(env.getOrDefault("RUNNER_BENCH_RUNS", "2").trim());
        this.batchSize = Integer.parseInt(env.getOrDefault("RUNNER_BENCH_BATCH_SIZE",
                Integer.toString(ScoreCommand.DEFAULT_BATCH_SIZE)).trim());
        this.javaOptions = env.containsKey("RUNNER_BENCH_JAVA_OPTS") ? list(env.get("RUNNER_BENCH_JAVA_OPTS"), "\\s+")
                : imageOptions();
        this.out = out;
    }

    void run() throws Exception {
        if (!Files.isDirectory(DISTRIBUTION)) {
            throw new IllegalStateException(DISTRIBUTION + " is missing: package the runner first");
        }
        out.println();
        Map<String, Path> files = new LinkedHashMap<>();
        for (String model : models) {
            files.put(model, model.equals("mlp") ? MlpModel.build(dir, MODEL) : MODEL);
        }
        out.printf(Locale.ROOT, "== %s: the runner's score (a child process, JVM options %s, batches of %d, CSV out)"
                + " against ONNX Runtime's session.run on the same batches; models %s ==%n", NAME, javaOptions,
                batchSize, files);
        List<Run> results = new ArrayList<>();
        for (int rows : sizes) {
            Path csv = FraudData.csv(dir, rows);
            for (String input : inputs) {
                Path dataset = input.equals("csv") ? csv : FraudData.parquet(csv);
                for (int run = 1; run <= runs; run++) {
                    for (Map.Entry<String, Path> model : files.entrySet()) {
                        Run result = measure(model.getKey(), model.getValue(), input, rows, run, dataset);
                        results.add(result);
                        out.printf(Locale.ROOT, "%s model=%s input=%s rows=%d run=%d runner_rows_per_s=%.0f"
                                        + " onnx_rows_per_s=%.0f ratio=%.3f runner_wall_rows_per_s=%.0f"
                                        + " wall_ratio=%.3f runner_peak_rss_mib=%.0f wall_s=%.2f cpu_s=%.2f%n", NAME,
                                result.model(), input, rows, run, result.runnerRowsPerSecond(),
                                result.onnxRowsPerSecond(), result.ratio(), rows / result.wallSeconds(),
                                result.wallRatio(), result.peakRssMiB(), result.wallSeconds(), result.cpuSeconds());
                    }
                }
            }
        }
        out.println("runner_rows_per_s: rows over the runner's own scoring time (its result's seconds: reading,"
                + " binding, session.run and writing the CSV; not the JVM's start, the row count or storing the"
                + " output); wall_s: the child process from start to exit; cpu_s: its user and system CPU time (steadier than wall_s on shared cores); onnx_rows_per_s: session.run alone over"
                + " the same batches, tensors made in advance; runner_peak_rss_mib: the child's VmHWM (Linux only)");
        for (String model : models) {
            summary(model, results.stream().filter(r -> r.model().equals(model)).toList());
        }
    }

    private Run measure(String name, Path model, String input, int rows, int run, Path dataset) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path output = work.resolve("predictions-" + rows + ".csv");
        Path result = work.resolve("result-" + rows + ".json");
        Path log = dir.resolve("runner-" + name + "-" + input + "-" + rows + "-" + run + ".log");
        Files.deleteIfExists(output);
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", DISTRIBUTION + "/*", "dev.modelops.runner.Runner", "score"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("MODELOPS_DATASET_URI", dataset.toAbsolutePath().toUri().toString());
        env.put("MODELOPS_ARTIFACT_URI", model.toAbsolutePath().toUri().toString());
        env.put("MODELOPS_OUTPUT_URI", output.toAbsolutePath().toUri().toString());
        env.put("MODELOPS_TERMINATION_LOG", result.toAbsolutePath().toString());
        env.put("MODELOPS_WORK_DIR", work.toAbsolutePath().toString());
        env.put("MODELOPS_BATCH_SIZE", Integer.toString(batchSize));
        env.put("MODELOPS_MODEL", "fraud");
        env.put("MODELOPS_MODEL_VERSION", "bench");
        long start = System.nanoTime();
        Process process = builder.start();
        double peak;
        double cpu;
        try (ChildUsage usage = ChildUsage.watch(process)) {
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the runner did not finish in 30 minutes; see " + log);
            }
            peak = usage.peakMiB();
            cpu = usage.cpuSeconds();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the runner exited with " + process.exitValue() + "; see " + log);
        }
        JsonNode metrics = JSON.readTree(result.toFile()).path("metrics");
        long lines;
        try (Stream<String> all = Files.lines(output)) {
            lines = all.count();
        }
        if (metrics.path("rows").asLong() != rows || lines != rows + 1) {
            throw new IllegalStateException("the runner scored " + metrics.path("rows") + " rows and wrote "
                    + (lines - 1) + " of " + rows + "; see " + log);
        }
        Files.delete(output);
        double runner = rows / metrics.path("seconds").asDouble();
        return new Run(name, input, rows, run, runner, wall, cpu, peak,
                limit(name, model, input, dataset, rows, run));
    }

    /** {@link OnnxLimit} in a JVM like the runner's: its options, its classpath and the benchmark's classes. */
    private double limit(String name, Path model, String input, Path dataset, int rows, int run) throws Exception {
        Path log = dir.resolve("onnx-" + name + "-" + input + "-" + rows + "-" + run + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", DISTRIBUTION + "/*" + File.pathSeparator + TEST_CLASSES,
                OnnxLimit.class.getName(), model.toString(), dataset.toString(), Integer.toString(batchSize)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the ONNX Runtime loop failed; see " + log);
        }
        Matcher rate = LIMIT.matcher(Files.readString(log));
        if (!rate.find()) {
            throw new IllegalStateException("the ONNX Runtime loop printed no rate; see " + log);
        }
        return Double.parseDouble(rate.group(1));
    }

    /** A model's machine-readable line: the largest size's mean ratio against the target, and RSS over the sizes. */
    private void summary(String model, List<Run> results) {
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int smallest = sizes.stream().mapToInt(Integer::intValue).min().orElseThrow();
        double ratio = results.stream().filter(r -> r.rows() == largest).mapToDouble(Run::ratio).average()
                .orElseThrow();
        double rssLargest = results.stream().filter(r -> r.rows() == largest).mapToDouble(Run::peakRssMiB).max()
                .orElseThrow();
        double rssSmallest = results.stream().filter(r -> r.rows() == smallest).mapToDouble(Run::peakRssMiB).max()
                .orElseThrow();
        out.printf(Locale.ROOT, "bench: scenario=%s model=%s rows=%d ratio=%.3f target=%.2f met=%s"
                        + " runner_peak_rss_mib=%.0f runner_peak_rss_mib_at_%d=%.0f%n", NAME, model, largest, ratio,
                TARGET_RATIO,
                ratio >= TARGET_RATIO ? "yes" : "no", rssLargest, smallest, rssSmallest);
    }

    /** The runner image's {@code JAVA_TOOL_OPTIONS}, given as options of the command. */
    private static List<String> imageOptions() throws Exception {
        Matcher options = TOOL_OPTIONS.matcher(Files.readString(RUNNER_DOCKERFILE));
        if (!options.find()) {
            throw new IllegalStateException(RUNNER_DOCKERFILE + " sets no JAVA_TOOL_OPTIONS");
        }
        return list(options.group(1), "\\s+");
    }

    private static List<String> list(String value) {
        return list(value, ",");
    }

    private static List<String> list(String value, String separator) {
        return Arrays.stream(value.trim().split(separator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
