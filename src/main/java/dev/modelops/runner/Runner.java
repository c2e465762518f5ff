package dev.modelops.runner;

import dev.modelops.runner.evaluate.EvaluateCommand;
import dev.modelops.runner.importer.ImportCommand;
import dev.modelops.runner.score.ScoreCommand;
import dev.modelops.runner.serve.ServeCommand;
import dev.modelops.runner.statistics.ComputeStatisticsCommand;
import dev.modelops.runner.store.Storage;
import dev.modelops.runner.train.TrainCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The built-in runner: {@code java -cp 'lib/*' dev.modelops.runner.Runner <command> [--name=value ...]}, where the
 * command is train, import, compute-statistics, evaluate, score or serve; without one, {@code MODELOPS_JOB_TYPE} names
 * it (Train, Import, ComputeStatistics, Evaluate, BatchPrediction, Deploy), as in a pod the operator launches. The
 * result goes to the termination message, the log to stdout; the exit code is 0 on success, 1 on failure and 143 when
 * SIGTERM cuts a job short. A server ({@code serve}) stops by itself on SIGTERM, writes its result and exits 0.
 */
public final class Runner {

    public static final int FAILED = 1;
    public static final int STOPPED = 143;

    private static final Map<String, Supplier<Command>> COMMANDS = Map.of(
            "train", TrainCommand::new,
            "import", ImportCommand::new,
            "compute-statistics", ComputeStatisticsCommand::new,
            "evaluate", EvaluateCommand::new,
            "score", ScoreCommand::new,
            "serve", ServeCommand::new);

    private static final Map<String, String> BY_JOB_TYPE = Map.of(
            "Train", "train", "Import", "import", "ComputeStatistics", "compute-statistics",
            "Evaluate", "evaluate", "BatchPrediction", "score", "Deploy", "serve");

    /** How long a server that was asked to stop may take before the runner gives up on it (Kubernetes' grace is 30 s). */
    private static final long STOP_SECONDS = 25;

    private Runner() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path terminationLog = Path.of(env.getOrDefault(RunnerEnv.TERMINATION_LOG, "/dev/termination-log"));
        AtomicBoolean finished = new AtomicBoolean();
        StopSignal stop = new StopSignal();
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Log log = new Log(System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.get()) {
                return;
            }
            if (stop.listened()) {
                // a server: it stops by itself and writes its own result; System.exit would block during shutdown
                log.info("SIGTERM: stopping");
                stop.request();
                try {
                    Runtime.getRuntime().halt(exitCode.get(STOP_SECONDS, TimeUnit.SECONDS));
                } catch (Exception e) {
                    log.error("the server did not stop within " + STOP_SECONDS + " s");
                }
            }
            log.error("stopped");
            writeQuietly(terminationLog, Result.failure("stopped before it finished (SIGTERM)"));
            Runtime.getRuntime().halt(STOPPED);
        }, "runner-stop"));
        int code = run(args, env, terminationLog, System.out, stop);
        exitCode.complete(code);
        finished.set(true);
        System.exit(code);
    }

    /** The seam of the tests: runs a command with this environment, writes its result and returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, Path terminationLog, PrintStream out) {
        return run(args, environment, terminationLog, out, new StopSignal());
    }

    /** As {@link #run(String[], Map, Path, PrintStream)}, with the signal that stops a server. */
    public static int run(String[] args, Map<String, String> environment, Path terminationLog, PrintStream out,
            StopSignal stop) {
        Log log = new Log(out);
        Path workDir = null;
        try {
            RunnerEnv env = new RunnerEnv(environment);
            String name = args.length > 0 && !args[0].startsWith("--") ? args[0]
                    : env.get(RunnerEnv.JOB_TYPE).map(type -> BY_JOB_TYPE.getOrDefault(type, type))
                            .orElseThrow(() -> new RunFailure("no command: give one of " + names()
                                    + " as the first argument, or set " + RunnerEnv.JOB_TYPE));
            Supplier<Command> command = COMMANDS.get(name);
            if (command == null) {
                throw new RunFailure("unknown command " + name + ": expected one of " + names());
            }
            String[] options = args.length > 0 && args[0].equals(name) ? Arrays.copyOfRange(args, 1, args.length)
                    : args;
            env = env.withArguments(options);
            workDir = Files.createTempDirectory(env.get(RunnerEnv.WORK_DIR).map(Path::of)
                    .orElse(Path.of(System.getProperty("java.io.tmpdir"))), "modelops-runner-");
            log.info(name + " started for model " + env.get(RunnerEnv.MODEL).orElse("-") + " version "
                    + env.get(RunnerEnv.MODEL_VERSION).orElse("-"));
            try (Storage storage = new Storage(env, log)) {
                Result result = command.get().run(new RunContext(env, log, storage, workDir, stop));
                String json = result.toJson();
                write(terminationLog, json);
                log.info(name + " succeeded: " + json);
                return 0;
            }
        } catch (RunFailure e) {
            return fail(log, terminationLog, e.getMessage());
        } catch (Exception | LinkageError e) {
            return fail(log, terminationLog, describe(e));
        } finally {
            deleteQuietly(workDir);
        }
    }

    private static int fail(Log log, Path terminationLog, String message) {
        log.error("failed: " + message);
        writeQuietly(terminationLog, Result.failure(message));
        return FAILED;
    }

    /** An unexpected error in one line: its type and message, and its causes'. */
    public static String describe(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (line.length() > 0) {
                line.append("; caused by ");
            }
            line.append(t instanceof RunFailure ? "" : t.getClass().getSimpleName() + ": ")
                    .append(Optional.ofNullable(t.getMessage()).orElse("(no message)"));
        }
        return line.toString();
    }

    private static String names() {
        return String.join(", ", COMMANDS.keySet().stream().sorted().toList());
    }

    private static void write(Path file, String json) throws IOException {
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    private static void writeQuietly(Path file, String json) {
        try {
            write(file, json);
        } catch (IOException e) {
            System.out.println("cannot write the termination message to " + file + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch folder left behind in the pod's temporary storage
        }
    }
}
