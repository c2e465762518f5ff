package dev.modelops.runner.model;

import dev.modelops.runner.RunContext;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.data.Dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The model and dataset a job names in its environment, fetched and opened. */
public final class Models {

    private Models() {
    }

    /** The model at {@code MODELOPS_ARTIFACT_URI}, which must be ONNX ({@code MODELOPS_MODEL_FORMAT}, if given). */
    public static OnnxModel load(RunContext context) {
        String format = context.env().get(RunnerEnv.MODEL_FORMAT).orElse("ONNX");
        if (!format.equalsIgnoreCase("ONNX")) {
            throw new RunFailure("the built-in runner runs ONNX models; this one is " + format);
        }
        String uri = context.env().require(RunnerEnv.ARTIFACT_URI);
        return OnnxModel.load(context.storage().fetch(uri, context.workDir()), uri);
    }

    /** The dataset at {@code MODELOPS_DATASET_URI}. */
    public static Dataset dataset(RunContext context) {
        String uri = context.env().require(RunnerEnv.DATASET_URI);
        Dataset dataset = Dataset.open(context.storage().fetch(uri, context.workDir()), uri);
        context.log().info("dataset " + uri + ": columns " + dataset.columns().stream()
                .map(c -> c.name() + ":" + c.type()).toList());
        return dataset;
    }

    /** {@code MODELOPS_FEATURE_COLUMNS}: the columns of a single feature-vector input, in order. */
    public static Optional<List<String>> featureColumns(RunnerEnv env) {
        return env.get(RunnerEnv.FEATURE_COLUMNS)
                .map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
}
