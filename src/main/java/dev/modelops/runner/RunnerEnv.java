package dev.modelops.runner;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The job's inputs: the {@code MODELOPS_*} environment that the operator (or the template's {@code env}) gives the
 * pod, overridden by {@code --name=value} arguments ({@code --label-column=y} is {@code MODELOPS_LABEL_COLUMN=y}).
 */
public final class RunnerEnv {

    public static final String JOB_TYPE = "MODELOPS_JOB_TYPE";
    public static final String MODEL = "MODELOPS_MODEL";
    public static final String MODEL_VERSION = "MODELOPS_MODEL_VERSION";
    public static final String MODEL_FORMAT = "MODELOPS_MODEL_FORMAT";
    public static final String ARTIFACT_URI = "MODELOPS_ARTIFACT_URI";
    public static final String ARTIFACT_SHA256 = "MODELOPS_ARTIFACT_SHA256";
    public static final String ARTIFACT_STORE = "MODELOPS_ARTIFACT_STORE";
    public static final String DATASET_URI = "MODELOPS_DATASET_URI";
    public static final String OUTPUT_URI = "MODELOPS_OUTPUT_URI";
    public static final String STATISTICS = "MODELOPS_STATISTICS";
    public static final String STATISTICS_URI = "MODELOPS_STATISTICS_URI";
    public static final String LABEL_COLUMN = "MODELOPS_LABEL_COLUMN";
    public static final String TASK = "MODELOPS_TASK";
    public static final String POSITIVE_CLASS = "MODELOPS_POSITIVE_CLASS";
    public static final String FEATURE_COLUMNS = "MODELOPS_FEATURE_COLUMNS";
    public static final String ALGORITHM = "MODELOPS_ALGORITHM";
    public static final String HYPERPARAMETERS = "MODELOPS_HYPERPARAMETERS";
    public static final String BATCH_SIZE = "MODELOPS_BATCH_SIZE";
    public static final String PROGRESS_ROWS = "MODELOPS_PROGRESS_ROWS";
    public static final String S3_ENDPOINT = "MODELOPS_S3_ENDPOINT";
    public static final String TERMINATION_LOG = "MODELOPS_TERMINATION_LOG";
    public static final String WORK_DIR = "MODELOPS_WORK_DIR";
    public static final String PORT = "MODELOPS_PORT";

    private final Map<String, String> values;

    public RunnerEnv(Map<String, String> values) {
        this.values = new TreeMap<>(values);
    }

    /** The environment with the {@code --name=value} arguments laid over it. */
    public RunnerEnv withArguments(String[] args) {
        Map<String, String> merged = new TreeMap<>(values);
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new RunFailure("argument " + arg + " is not --name=value");
            }
            String name = arg.substring(2, arg.indexOf('='));
            merged.put("MODELOPS_" + name.toUpperCase().replace('-', '_'), arg.substring(arg.indexOf('=') + 1));
        }
        return new RunnerEnv(merged);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new RunFailure(name + " is not set"));
    }

    public int integer(String name, int otherwise) {
        Optional<String> value = get(name);
        try {
            return value.map(Integer::parseInt).orElse(otherwise);
        } catch (NumberFormatException e) {
            throw new RunFailure(name + "=" + value.get() + " is not an integer");
        }
    }
}
