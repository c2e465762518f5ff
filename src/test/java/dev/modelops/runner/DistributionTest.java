package dev.modelops.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged distribution (target/modelops-runner, written by {@code ./mvnw package}) run as a real process, as
 * in the runner's image: its lib/ holds every jar it needs, and SIGTERM stops it with 143 and a result saying so.
 * Skipped when the distribution has not been built.
 */
class DistributionTest {

    private static final Path LIB = Path.of("target/modelops-runner/lib").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void thePackagedRunnerScoresAsAProcess() throws Exception {
        assumeTrue(Files.isDirectory(LIB), "no distribution: run ./mvnw -B package first");
        Path termination = dir.resolve("termination-log");
        Process process = start("score", Map.of(
                RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString(),
                RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString(),
                RunnerEnv.OUTPUT_URI, dir.resolve("out.parquet").toUri().toString(),
                RunnerEnv.TERMINATION_LOG, termination.toString()));
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), log);
        JsonNode result = new ObjectMapper().readTree(Files.readString(termination));
        assertEquals(2000, result.get("metrics").get("rows").asLong(), log);
    }

    @Test
    void sigtermStopsItWithExitCode143AndAResult() throws Exception {
        assumeTrue(Files.isDirectory(LIB), "no distribution: run ./mvnw -B package first");
        Path big = dir.resolve("big.csv");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement()) {
            statement.execute("COPY (SELECT t.* FROM read_csv('" + RunnerHarness.HOLDOUT + "') t, range(1000)) TO '"
                    + big + "' (HEADER)");
        }
        Path termination = dir.resolve("termination-log");
        Process process = start("score", Map.of(
                RunnerEnv.DATASET_URI, big.toUri().toString(),
                RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString(),
                RunnerEnv.OUTPUT_URI, dir.resolve("out.csv").toUri().toString(),
                RunnerEnv.PROGRESS_ROWS, "20000",
                RunnerEnv.TERMINATION_LOG, termination.toString()));
        StringBuffer log = new StringBuffer();
        CompletableFuture<Void> progressed = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.append(line).append('\n');
                    if (line.contains("score progress")) {
                        progressed.complete(null);
                    }
                }
            } catch (Exception e) {
                progressed.completeExceptionally(e);
            }
        });
        reader.start();
        progressed.get(60, TimeUnit.SECONDS);

        // SIGTERM; Process.destroy() would also close our end of its stdout, losing its last lines
        process.toHandle().destroy();

        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "stops quickly");
        reader.join(10_000);
        assertTrue(!reader.isAlive(), "the log ends with the process");
        assertEquals(Runner.STOPPED, process.exitValue(), log.toString());
        assertTrue(log.toString().contains("ERROR stopped"), log.toString());
        assertEquals("stopped before it finished (SIGTERM)",
                new ObjectMapper().readTree(Files.readString(termination)).get("message").asText());
    }

    private Process start(String command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", LIB + "/*", "dev.modelops.runner.Runner", command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put(RunnerEnv.WORK_DIR, dir.toString());
        return builder.start();
    }
}
