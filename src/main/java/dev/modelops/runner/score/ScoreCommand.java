package dev.modelops.runner.score;

import dev.modelops.runner.Command;
import dev.modelops.runner.Progress;
import dev.modelops.runner.Result;
import dev.modelops.runner.RunContext;
import dev.modelops.runner.RunFailure;
import dev.modelops.runner.RunnerEnv;
import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.data.Sql;
import dev.modelops.runner.model.BatchScorer;
import dev.modelops.runner.model.InputBinding;
import dev.modelops.runner.model.Models;
import dev.modelops.runner.model.OnnxModel;
import dev.modelops.runner.model.OutputReader;
import dev.modelops.runner.store.Storage;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code score} (a BatchPrediction): streams the dataset at {@code MODELOPS_DATASET_URI} through the model at
 * {@code MODELOPS_ARTIFACT_URI} in batches of {@code MODELOPS_BATCH_SIZE} rows (1024) and writes every input column
 * with the predictions ({@code prediction}, and {@code probability_<class>} for each class of a classifier) to
 * {@code MODELOPS_OUTPUT_URI}: Parquet when it ends in {@code .parquet}, CSV otherwise; a URI ending in {@code /}
 * is a folder that gets {@code predictions-<UTC time>.csv}. Result: outputUri and the metrics rows, seconds and
 * rowsPerSecond.
 */
public final class ScoreCommand implements Command {

    /** Rows per batch unless {@code MODELOPS_BATCH_SIZE} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 1024;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Override
    public Result run(RunContext context) throws Exception {
        String output = output(context.env().require(RunnerEnv.OUTPUT_URI));
        boolean parquet = output.toLowerCase(Locale.ROOT).endsWith(".parquet");
        try (OnnxModel model = Models.load(context); Dataset dataset = Models.dataset(context)) {
            InputBinding binding = InputBinding.of(model, dataset, Models.featureColumns(context.env()));
            OutputReader reader = OutputReader.of(model);
            List<String> all = dataset.columns().stream().map(c -> c.name()).toList();
            int batchSize = context.env().integer(RunnerEnv.BATCH_SIZE, DEFAULT_BATCH_SIZE);
            BatchScorer scorer = new BatchScorer(model, binding, reader, batchSize, all);
            long total = dataset.rows();
            context.log().info("scoring " + total + " rows of " + dataset.uri() + " in batches of " + batchSize
                    + " into " + output);
            Progress progress = new Progress(context.log(), "score", total,
                    context.env().integer(RunnerEnv.PROGRESS_ROWS, 100_000));
            Path csv = context.workDir().resolve("predictions.csv");
            CsvWriter[] writer = new CsvWriter[1];
            try {
                scorer.run(dataset, progress, (rows, predictions) -> {
                    if (writer[0] == null) {
                        writer[0] = new CsvWriter(csv, header(scorer.columns(), reader));
                    }
                    for (int i = 0; i < rows.size(); i++) {
                        writer[0].write(rows.get(i), predictions.get(i), reader.classifier());
                    }
                });
                if (writer[0] == null) {
                    writer[0] = new CsvWriter(csv, header(scorer.columns(), reader));
                }
            } finally {
                if (writer[0] != null) {
                    writer[0].close();
                }
            }
            Path file = parquet ? toParquet(dataset, csv) : csv;
            context.storage().store(file, output);
            double seconds = progress.elapsed().toNanos() / 1e9;
            context.log().info(String.format(Locale.ROOT, "scored %d rows in %.2f s (%.0f rows/s)", progress.done(),
                    seconds, progress.rate()));
            return new Result().outputUri(output).metric("rows", progress.done()).metric("seconds", seconds)
                    .metric("rowsPerSecond", Math.round(progress.rate()));
        }
    }

    private static String output(String uri) {
        return uri.endsWith("/") ? Storage.join(uri, "predictions-"
                + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + ".csv") : uri;
    }

    private static List<String> header(List<String> columns, OutputReader reader) {
        List<String> header = new ArrayList<>(columns);
        header.add("prediction");
        if (reader.classifier()) {
            reader.classes().forEach(c -> header.add("probability_" + c));
        }
        return header;
    }

    /** The CSV as Parquet, converted by DuckDB as a stream. */
    private static Path toParquet(Dataset dataset, Path csv) {
        Path parquet = csv.resolveSibling("predictions.parquet");
        try (Statement statement = dataset.connection().createStatement()) {
            statement.execute("COPY (SELECT * FROM read_csv(" + Sql.literal(csv.toString()) + ", header = true)) TO "
                    + Sql.literal(parquet.toString()) + " (FORMAT PARQUET)");
        } catch (SQLException e) {
            throw new RunFailure("cannot write the predictions as Parquet: " + Dataset.firstLine(e), e);
        }
        return parquet;
    }
}
