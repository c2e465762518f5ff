package dev.modelops.runner;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The example model scored with ONNX Runtime directly, the feature vector built here from the model's metadata and
 * a plain reading of the example CSV: the independent reference of the score and evaluate tests.
 */
final class ModelScoring {

    record Row(String[] cells, int label) {
    }

    private ModelScoring() {
    }

    static List<Row> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size()).stream().map(line -> line.split(",", -1))
                .map(cells -> new Row(cells, Integer.parseInt(cells[5]))).toList();
    }

    /** The probability of class "1" for each row. */
    static double[] fraudProbabilities(Path model, List<Row> rows) throws Exception {
        List<String> header = List.of("amount", "hour", "merchant_category", "distance_km", "account_age_days");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toString())) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            JsonNode features = new ObjectMapper().readTree(meta.get("modelops.features"));
            List<String> classes = List.of(new ObjectMapper().readValue(meta.get("modelops.classes"), String[].class));
            float[][] x = new float[rows.size()][features.size()];
            for (int r = 0; r < rows.size(); r++) {
                for (int f = 0; f < features.size(); f++) {
                    JsonNode feature = features.get(f);
                    String cell = rows.get(r).cells()[header.indexOf(feature.get("column").asText())];
                    if (feature.hasNonNull("value")) {
                        x[r][f] = cell.equals(feature.get("value").asText()) ? 1 : 0;
                    } else {
                        x[r][f] = cell.isEmpty() ? 0 : (float) ((Double.parseDouble(cell)
                                - feature.get("center").asDouble()) / feature.get("scale").asDouble());
                    }
                }
            }
            String input = session.getInputNames().iterator().next();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, x);
                    OrtSession.Result result = session.run(Map.of(input, tensor))) {
                float[][] probabilities = (float[][]) result.get(0).getValue();
                double[] p = new double[rows.size()];
                for (int r = 0; r < p.length; r++) {
                    p[r] = probabilities[r][classes.indexOf("1")];
                }
                return p;
            }
        }
    }
}
