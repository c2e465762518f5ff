package dev.modelops.runner;

import dev.modelops.modeljob.TerminationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's contract with the operator: which command runs, and results the ModelJob controller reads. */
class RunnerTest {

    @TempDir
    Path dir;

    @Test
    void theJobTypeNamesTheCommandWhenNoArgumentDoes() {
        RunnerHarness.Outcome outcome = new RunnerHarness(dir).with(RunnerEnv.JOB_TYPE, "ComputeStatistics")
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString()).run();

        assertEquals(0, outcome.exitCode(), outcome.message());
        assertTrue(outcome.log().contains("compute-statistics started"), outcome.log());
    }

    @Test
    void argumentsOverrideTheEnvironment() {
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, "file:///nowhere.csv")
                .run("compute-statistics", "--dataset-uri=" + RunnerHarness.HOLDOUT.toUri());

        assertEquals(0, outcome.exitCode(), outcome.message());
    }

    @Test
    void anUnknownCommandOrAMissingInputFailsWithOneLine() {
        RunnerHarness.Outcome unknown = new RunnerHarness(dir).run("predict");
        assertEquals(Runner.FAILED, unknown.exitCode());
        assertEquals("unknown command predict: expected one of compute-statistics, evaluate, import, score, serve,"
                + " train", unknown.failure());

        RunnerHarness.Outcome noModel = new RunnerHarness(dir).with(RunnerEnv.JOB_TYPE, "Deploy").run();
        assertEquals(Runner.FAILED, noModel.exitCode());
        assertEquals("MODELOPS_ARTIFACT_URI is not set", noModel.failure(), "Deploy is serve, which needs a model");

        RunnerHarness.Outcome missing = new RunnerHarness(dir).run("score");
        assertEquals(Runner.FAILED, missing.exitCode());
        assertEquals("MODELOPS_OUTPUT_URI is not set", missing.failure());
    }

    @Test
    void everyCommandsResultIsOneTheModelJobControllerAccepts() {
        RunnerHarness runner = new RunnerHarness(dir)
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, dir.resolve("out.csv").toUri().toString())
                .with(RunnerEnv.LABEL_COLUMN, "is_fraud");
        for (String command : new String[] {"import", "compute-statistics", "evaluate", "score", "train"}) {
            RunnerHarness.Outcome outcome = runner.run(command);
            assertEquals(0, outcome.exitCode(), command + ": " + outcome.message());
            TerminationMessage.Parsed parsed = TerminationMessage.parse(outcome.message());
            assertTrue(parsed.problem().isEmpty(), command + ": " + parsed.problem());
            assertTrue(parsed.result().isPresent(), command);
        }
    }

    @Test
    void tooManyMetricsLoseTheLastOnesNotTheHeadline() {
        Result result = new Result().metric("auc", 0.91);
        for (int i = 0; i < 300; i++) {
            result.metric("psi_column_" + i, i / 1000.0);
        }
        String json = result.toJson();
        assertTrue(json.length() <= Result.MAX_BYTES, json.length() + " bytes");
        assertTrue(json.startsWith("{\"metrics\":{\"auc\":0.91,\"psi_column_0\""), json);
        assertTrue(!json.contains("psi_column_299"), json);
    }

    @Test
    void aLongFailureMessageIsCutToTheLimit() {
        String json = Result.failure("x".repeat(10_000));
        assertTrue(json.length() <= Result.MAX_BYTES, json.length() + " bytes");
        assertTrue(json.startsWith("{\"message\":\"xxx") && json.endsWith("...\"}"), json);
    }
}
