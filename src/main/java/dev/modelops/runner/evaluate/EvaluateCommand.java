package dev.modelops.runner.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.runner.Command;
import dev.modelops.runner.Progress;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.data.Column;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.model.BatchScorer;
import dev.modelops.runner.model.InputBinding;
import dev.modelops.runner.model.Models;
import dev.modelops.runner.model.OnnxModel;
import dev.modelops.runner.model.OutputReader;
import dev.modelops.runner.model.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code evaluate}: scores the labelled dataset at {@code MODELOPS_DATASET_URI} with the model at
 * {@code MODELOPS_ARTIFACT_URI} and reports the metrics of its task, plus the drift of the dataset against the
 * version's statistics. The label column is {@code MODELOPS_LABEL_COLUMN}, else the model's metadata
 * ({@code modelops.label}); the task {@code MODELOPS_TASK}, else the metadata ({@code modelops.task}), else told by
 * the model's outputs (two class probabilities: binary; more: multiclass; one value: regression); the positive
 * class of a binary task {@code MODELOPS_POSITIVE_CLASS}, else 1, true or yes. Metrics: binary auc, accuracy,
 * precision, recall, f1, logLoss, positiveRate; multiclass accuracy, macroF1; regression rmse, mae, r2; and rows,
 * skippedRows (no label), {@code psi_<column>} and driftMax when statistics are given
 * ({@code MODELOPS_STATISTICS_URI}, the full report, else {@code MODELOPS_STATISTICS}, the summary).
 */
public final class EvaluateCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Result run(RunContext context) throws Exception {
        try (OnnxModel model = Models.load(context); Dataset dataset = Models.dataset(context)) {
            String labelName = context.env().get(RunnerEnv.LABEL_COLUMN)
                    .or(() -> model.metadata().get(dev.modelops.runner.model.ModelMetadata.LABEL))
                    .orElseThrow(() -> new RunFailure("no label column: set " + RunnerEnv.LABEL_COLUMN
                            + " (the model's metadata names none)"));
            Column label = dataset.require(labelName, "the label");
            InputBinding binding = InputBinding.of(model, dataset, Models.featureColumns(context.env()));
            OutputReader reader = OutputReader.of(model);
            Optional<Task> named = context.env().get(RunnerEnv.TASK)
                    .or(() -> model.metadata().get(dev.modelops.runner.model.ModelMetadata.TASK)).map(Task::parse);
            BatchScorer scorer = new BatchScorer(model, binding, reader,
                    context.env().integer(RunnerEnv.BATCH_SIZE, 1024), List.of(label.name()));
            int labelCell = scorer.columns().indexOf(label.name());
            Progress progress = new Progress(context.log(), "evaluate", dataset.rows(),
                    context.env().integer(RunnerEnv.PROGRESS_ROWS, 100_000));
            Metrics[] metrics = new Metrics[1];
            long[] skipped = new long[1];
            scorer.run(dataset, progress, (rows, predictions) -> {
                if (metrics[0] == null) {
                    metrics[0] = metricsOf(named, reader, context.env(), context);
                }
                for (int i = 0; i < rows.size(); i++) {
                    Object truth = rows.get(i)[labelCell];
                    if (truth == null) {
                        skipped[0]++;
                    } else {
                        metrics[0].add(truth, predictions.get(i));
                    }
                }
            });
            if (metrics[0] == null || progress.done() == skipped[0]) {
                throw new RunFailure("dataset " + dataset.uri() + " has no labelled row to evaluate");
            }
            Result result = new Result();
            metrics[0].values().forEach(result::metric);
            result.metric("rows", progress.done() - skipped[0]);
            if (skipped[0] > 0) {
                result.metric("skippedRows", skipped[0]);
            }
            statistics(context).ifPresent(statistics -> {
                Map<String, Double> psi = Drift.psi(statistics, dataset);
                psi.forEach((column, value) -> result.metric("psi_" + column, value));
                psi.values().stream().mapToDouble(Double::doubleValue).max()
                        .ifPresent(max -> result.metric("driftMax", max));
                context.log().info("drift (population stability index) by column " + psi);
            });
            context.log().info("metrics " + result.metrics());
            return result;
        }
    }

    private static Metrics metricsOf(Optional<Task> named, OutputReader reader, RunnerEnv env, RunContext context) {
        List<String> classes = reader.classes();
        Task task = named.orElseGet(() -> !reader.classifier() ? Task.REGRESSION
                : classes.size() == 2 ? Task.BINARY : Task.MULTICLASS);
        context.log().info("task " + task.id() + (classes.isEmpty() ? "" : ", classes " + classes));
        return switch (task) {
            case REGRESSION -> new RegressionMetrics();
            case MULTICLASS -> new MulticlassMetrics();
            case BINARY -> {
                if (!reader.classifier()) {
                    yield new BinaryMetrics(env.get(RunnerEnv.POSITIVE_CLASS).orElse("1"), 0);
                }
                String positive = Task.positiveClass(classes, env.get(RunnerEnv.POSITIVE_CLASS));
                yield new BinaryMetrics(positive, classes.indexOf(positive));
            }
        };
    }

    private static Optional<JsonNode> statistics(RunContext context) throws IOException {
        Optional<String> uri = context.env().get(RunnerEnv.STATISTICS_URI);
        if (uri.isPresent()) {
            return Optional.of(JSON.readTree(Files.readString(context.storage().fetch(uri.get(), context.workDir()))));
        }
        Optional<String> inline = context.env().get(RunnerEnv.STATISTICS);
        if (inline.isEmpty()) {
            context.log().info("no MODELOPS_STATISTICS: drift is not measured");
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(inline.get()));
        } catch (IOException e) {
            throw new RunFailure(RunnerEnv.STATISTICS + " is not JSON: " + e.getMessage());
        }
    }
}
