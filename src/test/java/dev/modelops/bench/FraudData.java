package dev.modelops.bench;

import dev.modelops.runner.data.Dataset;
import dev.modelops.runner.data.Sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The datasets of {@code runner-score}: the examples' committed generator, {@code examples/data/GenerateFraud.java},
 * run as it is documented ({@code java GenerateFraud.java <rows> <seed> <file>}, by the source launcher) with the
 * seed {@link #SEED}, so that a size always gives the same file; and its Parquet copy, written by DuckDB's
 * {@code COPY}. Both are kept under {@code target/bench/runner-score/} and reused by later runs.
 */
final class FraudData {

    static final Path GENERATOR = Path.of("examples", "data", "GenerateFraud.java");
    /** Another seed than the training and holdout files' (20261001, 20261101). */
    static final long SEED = 20261201;

    private FraudData() {
    }

    /** The CSV of {@code rows} rows, generated unless it is there. */
    static Path csv(Path dir, int rows) throws IOException, InterruptedException {
        Path csv = dir.resolve("fraud-" + rows + "-" + SEED + ".csv");
        if (Files.exists(csv)) {
            return csv;
        }
        Files.createDirectories(dir);
        Path partial = dir.resolve(csv.getFileName() + ".partial");
        Process generator = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), GENERATOR.toString(), Integer.toString(rows), Long.toString(SEED), partial.toString()))
                .inheritIO().start();
        if (!generator.waitFor(10, TimeUnit.MINUTES) || generator.exitValue() != 0) {
            generator.destroyForcibly();
            throw new IllegalStateException(GENERATOR + " failed for " + rows + " rows");
        }
        return Files.move(partial, csv);
    }

    /** The same rows as Parquet, converted unless it is there. */
    static Path parquet(Path csv) throws IOException {
        Path parquet = csv.resolveSibling(csv.getFileName().toString().replace(".csv", ".parquet"));
        if (Files.exists(parquet)) {
            return parquet;
        }
        Path partial = parquet.resolveSibling(parquet.getFileName() + ".partial");
        try (Connection connection = Dataset.connect(); Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT * FROM read_csv(" + Sql.literal(csv.toAbsolutePath().toString())
                    + ", header = true)) TO " + Sql.literal(partial.toAbsolutePath().toString())
                    + " (FORMAT PARQUET)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot convert " + csv + " to Parquet: " + e.getMessage(), e);
        }
        return Files.move(partial, parquet);
    }
}
