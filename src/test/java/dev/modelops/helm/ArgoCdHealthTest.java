package dev.modelops.helm;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chart's Argo CD health checks, run as Argo CD runs them, on every phase and stage; the tests of the controllers
 * also run them on the objects the controllers leave ({@code RealModelWalkTest}, {@code ModelVersionLifecycleTest}).
 */
class ArgoCdHealthTest {

    @ParameterizedTest(name = "ModelJob in phase {0} is {1}")
    @CsvSource({"Pending, Progressing", "Running, Progressing", "Succeeded, Healthy", "Failed, Degraded",
            "Cancelled, Suspended"})
    void modelJobHealthFollowsItsPhase(String phase, String health) throws IOException {
        assertEquals(health, health("modeljob.lua", """
                {"metadata": {"name": "x", "generation": 1},
                 "status": {"phase": "%s", "observedGeneration": 1, "message": "m"}}""".formatted(phase)));
    }

    @ParameterizedTest(name = "ModelVersion at stage {0} is {1}")
    @CsvSource({"Training, Progressing", "Evaluating, Progressing", "AwaitingApproval, Suspended",
            "Approved, Healthy", "Deployed, Healthy", "Retired, Healthy", "Rejected, Degraded", "Failed, Degraded"})
    void modelVersionHealthFollowsItsStage(String stage, String health) throws IOException {
        assertEquals(health, health("modelversion.lua", """
                {"metadata": {"name": "x", "generation": 1},
                 "status": {"stage": "%s", "observedGeneration": 1}}""".formatted(stage)));
    }

    @ParameterizedTest(name = "BatchPrediction Ready={0} Suspended={1} is {2}")
    @CsvSource({"True, False, Healthy", "False, False, Degraded", "True, True, Suspended", "False, True, Suspended"})
    void batchPredictionHealthFollowsReadyAndSuspended(String ready, String suspended, String health) throws IOException {
        assertEquals(health, health("batchprediction.lua", """
                {"metadata": {"name": "x", "generation": 2},
                 "status": {"observedGeneration": 2, "conditions": [
                   {"type": "Ready", "status": "%s", "reason": "R"},
                   {"type": "Suspended", "status": "%s", "reason": "S"}]}}""".formatted(ready, suspended)));
    }

    @ParameterizedTest(name = "{0} not yet reconciled is Progressing")
    @CsvSource({"modeljob.lua", "modelversion.lua", "batchprediction.lua"})
    void anObjectTheOperatorHasNotSeenIsProgressing(String script) throws IOException {
        assertEquals("Progressing", health(script, "{\"metadata\": {\"name\": \"x\", \"generation\": 1}}"));
        assertEquals("Progressing", health(script, """
                {"metadata": {"name": "x", "generation": 3},
                 "status": {"observedGeneration": 2, "phase": "Succeeded", "stage": "Deployed",
                            "conditions": [{"type": "Ready", "status": "True"}]}}"""));
    }

    private static String health(String script, String objectJson) throws IOException {
        return ArgoCdHealth.of(script, Serialization.jsonMapper().readTree(objectJson));
    }
}
