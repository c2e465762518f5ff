package dev.modelops.runner;

import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model from elsewhere, without the runner's metadata, whose inputs are columns by name (as scikit-learn's
 * converters write them): here score = 0.01 amount + 0.1 distance_km, built as an ONNX graph.
 */
class PerColumnModelTest {

    @TempDir
    Path dir;

    @Test
    void eachInputIsTheColumnOfItsNameAndOneValueIsThePrediction() throws Exception {
        Path model = model();
        Path out = dir.resolve("scores.csv");
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, model.toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, out.toUri().toString()).run("score");

        assertEquals(0, outcome.exitCode(), outcome.message());
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).endsWith(",prediction"), lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[3].isEmpty()) {
                assertEquals("NaN", cells[6], "a missing input is NaN to a float tensor");
            } else {
                double expected = (float) (0.01f * Float.parseFloat(cells[0]) + 0.1f * Float.parseFloat(cells[3]));
                assertEquals(expected, Double.parseDouble(cells[6]), 1e-4, line);
            }
        }
    }

    @Test
    void aColumnOfTheWrongTypeIsNamed() throws Exception {
        Path csv = dir.resolve("text.csv");
        Files.writeString(csv, "amount,distance_km\nlots,3.5\n");
        RunnerHarness.Outcome outcome = new RunnerHarness(dir).with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, model().toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, dir.resolve("o.csv").toUri().toString()).run("score");

        assertEquals(Runner.FAILED, outcome.exitCode());
        assertTrue(outcome.failure().startsWith("column amount of dataset " + csv.toUri() + " is VARCHAR but model"
                + " input amount needs FLOAT"), outcome.failure());
    }

    private Path model() throws Exception {
        ONNXContext context = new ONNXContext();
        ONNXPlaceholder amount = context.floatInput("amount", 1);
        ONNXPlaceholder distance = context.floatInput("distance_km", 1);
        ONNXPlaceholder score = context.floatOutput("score", 1);
        ONNXNode a = amount.apply(ONNXOperators.MUL, context.constant("a", 0.01f));
        ONNXNode b = distance.apply(ONNXOperators.MUL, context.constant("b", 0.1f));
        a.apply(ONNXOperators.ADD, b).assignTo(score);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(ONNXOperators.getOpsetProto()).setGraph(context.buildGraph()).build();
        Path file = dir.resolve("per-column.onnx");
        Files.write(file, proto.toByteArray());
        return file;
    }
}
