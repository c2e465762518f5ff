package dev.modelops.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chart's Argo CD health checks, run as Argo CD runs them: a Lua chunk with the object as {@code obj}. */
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
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(Serialization.jsonMapper().readTree(objectJson)));
        LuaValue result = globals.load(Files.readString(Path.of("helm/modelops-operator/argocd", script)), script).call();
        return result.get("status").tojstring();
    }

    private static LuaValue lua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                table.set(field.getKey(), lua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, lua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
