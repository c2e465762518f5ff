package dev.modelops.runner.train;

import dev.modelops.runner.Command;
import dev.modelops.runner.Progress;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.data.Column;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.model.Feature;
import dev.modelops.runner.model.ModelMetadata;
import dev.modelops.runner.model.Models;
import dev.modelops.runner.model.Task;
import dev.modelops.runner.store.Digests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train}: a linear model (Tribuo) from a CSV or Parquet dataset, exported as ONNX into the artifact store at
 * {@code <store>/<model>/<version>/model.onnx}. Result: artifactUri, artifactDigest and training metrics (rows,
 * features, trainAccuracy, trainMacroF1, trainAuc or trainRmse, trainMae, trainR2). The training rows are held in
 * memory, as Tribuo trains on an in-memory dataset.
 */
public final class TrainCommand implements Command {

    private static final int DISTINCT_FOR_CLASSES = 20;

    @Override
    public Result run(RunContext context) throws Exception {
        TrainingSpec spec = TrainingSpec.from(context.env());
        String target = context.storage().inArtifactStore("model.onnx");
        try (Dataset dataset = Models.dataset(context)) {
            Column label = dataset.require(spec.label(), RunnerEnv.LABEL_COLUMN);
            List<Column> inputs = spec.features()
                    .map(names -> names.stream().map(n -> dataset.require(n, RunnerEnv.FEATURE_COLUMNS)).toList())
                    .orElseGet(() -> dataset.columns().stream().filter(c -> !c.name().equals(label.name())).toList());
            if (inputs.isEmpty()) {
                throw new RunFailure("dataset " + dataset.uri() + " has no column to learn from besides the label");
            }
            Task task = spec.task().orElseGet(() -> infer(dataset, label));
            List<Feature> features = FeatureLayout.of(dataset, inputs, spec.maxCategories());
            context.log().info("training " + task.id() + " on label " + label.name() + " with " + features.size()
                    + " features from " + inputs.size() + " columns; " + spec);
            List<TribuoTraining.Row> rows = read(dataset, label, features, context);
            TribuoTraining training = new TribuoTraining(spec, task, features.size());
            TribuoTraining.Trained trained = training.train(rows,
                    ModelMetadata.of(features, task.id(), label.name(), List.of()));
            Path file = context.workDir().resolve("model.onnx");
            Files.write(file, trained.onnx());
            String digest = Digests.sha256(file);
            context.storage().store(file, target);
            Result result = new Result().artifact(target, digest).metric("rows", rows.size())
                    .metric("features", features.size());
            trained.metrics().forEach(result::metric);
            context.log().info("trained " + trained.metrics() + (trained.classes().isEmpty() ? ""
                    : " classes " + trained.classes()));
            return result;
        }
    }

    /** Classes when the label is text or a boolean, or a whole number of few values; a number otherwise. */
    private static Task infer(Dataset dataset, Column label) {
        long distinct = dataset.queryLong("SELECT count(DISTINCT " + label.sql() + ") FROM " + dataset.source());
        if (label.categorical() || (label.integral() && distinct <= DISTINCT_FOR_CLASSES)) {
            return distinct == 2 ? Task.BINARY : Task.MULTICLASS;
        }
        if (!label.numeric()) {
            throw new RunFailure("label " + label.name() + " is " + label.type() + "; set MODELOPS_TASK");
        }
        return Task.REGRESSION;
    }

    private static List<TribuoTraining.Row> read(Dataset dataset, Column label, List<Feature> features,
            RunContext context) throws SQLException {
        List<String> columns = new ArrayList<>();
        columns.add(label.name());
        features.stream().map(Feature::column).distinct().forEach(columns::add);
        int[] cellOf = features.stream().mapToInt(f -> columns.indexOf(f.column())).toArray();
        List<TribuoTraining.Row> rows = new ArrayList<>();
        Progress progress = new Progress(context.log(), "train read", -1,
                context.env().integer(RunnerEnv.PROGRESS_ROWS, 100_000));
        long skipped = 0;
        try (ResultSet rs = dataset.stream(columns)) {
            while (rs.next()) {
                Object labelCell = rs.getObject(1);
                if (labelCell == null) {
                    skipped++;
                    continue;
                }
                double[] vector = new double[features.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = features.get(i).encode(rs.getObject(cellOf[i] + 1));
                }
                rows.add(new TribuoTraining.Row(vector, labelCell));
                progress.add(1);
            }
        } catch (SQLException e) {
            throw dataset.failure(e);
        }
        if (skipped > 0) {
            context.log().info("skipped " + skipped + " rows without a label");
        }
        if (rows.isEmpty()) {
            throw new RunFailure("dataset " + dataset.uri() + " has no labelled row");
        }
        return rows;
    }

}
