package dev.modelops.runner.train;

import dev.modelops.runner.RunFailure;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.model.Models;
import dev.modelops.runner.model.Task;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to train, from the environment: {@code MODELOPS_LABEL_COLUMN} (required), {@code MODELOPS_TASK} (binary,
 * multiclass or regression; by default told from the label), {@code MODELOPS_ALGORITHM} (logistic-regression for
 * classes, linear-regression for numbers), {@code MODELOPS_FEATURE_COLUMNS} (by default every other column) and
 * {@code MODELOPS_HYPERPARAMETERS}, {@code name=value} pairs separated by commas: epochs (20), learningRate (0.1,
 * AdaGrad's), minibatch (1), seed (42), maxCategories (50, one-hot values kept per categorical column).
 */
record TrainingSpec(String label, Optional<Task> task, Optional<String> algorithm, Optional<List<String>> features,
        int epochs, double learningRate, int minibatch, long seed, int maxCategories) {

    private static final Set<String> KNOWN = Set.of("epochs", "learningRate", "minibatch", "seed", "maxCategories");

    static TrainingSpec from(RunnerEnv env) {
        Map<String, String> hyper = hyperparameters(env.get(RunnerEnv.HYPERPARAMETERS).orElse(""));
        return new TrainingSpec(env.require(RunnerEnv.LABEL_COLUMN), env.get(RunnerEnv.TASK).map(Task::parse),
                env.get(RunnerEnv.ALGORITHM), Models.featureColumns(env),
                (int) number(hyper, "epochs", 20), number(hyper, "learningRate", 0.1),
                (int) number(hyper, "minibatch", 1), (long) number(hyper, "seed", 42),
                (int) number(hyper, "maxCategories", 50));
    }

    private static Map<String, String> hyperparameters(String text) {
        Map<String, String> values = new TreeMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || !KNOWN.contains(kv[0].strip())) {
                throw new RunFailure(RunnerEnv.HYPERPARAMETERS + ": " + pair.strip() + " is not one of "
                        + new TreeMap<>(Map.of("epochs", "", "learningRate", "", "minibatch", "", "seed", "",
                                "maxCategories", "")).keySet() + " as name=value");
            }
            values.put(kv[0].strip(), kv[1].strip());
        }
        return values;
    }

    private static double number(Map<String, String> values, String name, double otherwise) {
        String value = values.get(name);
        try {
            double parsed = value == null ? otherwise : Double.parseDouble(value);
            if (!(parsed > 0) && !name.equals("seed")) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new RunFailure(RunnerEnv.HYPERPARAMETERS + ": " + name + "=" + value + " is not a positive number");
        }
    }
}
