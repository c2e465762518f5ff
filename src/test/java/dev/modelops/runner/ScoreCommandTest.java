package dev.modelops.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCommandTest {

    @TempDir
    Path dir;

    @Test
    void predictionsEqualOnnxRuntimeCalledDirectly() throws Exception {
        Path out = dir.resolve("predictions/holdout.csv");
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.JOB_TYPE, "BatchPrediction")
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, out.toUri().toString())
                .with(RunnerEnv.BATCH_SIZE, "300")
                .with(RunnerEnv.PROGRESS_ROWS, "900")
                .run();

        assertEquals(0, outcome.exitCode(), outcome.message());
        assertEquals(out.toUri().toString(), outcome.result().get("outputUri").asText());
        assertEquals(2000, outcome.metric("rows"));
        assertTrue(outcome.log().contains("score progress rows="), "progress is logged");

        List<ModelScoring.Row> rows = ModelScoring.rows(RunnerHarness.HOLDOUT);
        double[] expected = ModelScoring.fraudProbabilities(RunnerHarness.MODEL, rows);
        List<String> lines = Files.readAllLines(out);
        assertEquals("amount,hour,merchant_category,distance_km,account_age_days,is_fraud,prediction,probability_0,"
                + "probability_1", lines.get(0));
        assertEquals(2001, lines.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = lines.get(i + 1).split(",", -1);
            assertEquals(Double.parseDouble(rows.get(i).cells()[0]), Double.parseDouble(cells[0]), "rows keep their order");
            assertEquals(expected[i], Double.parseDouble(cells[8]), 1e-6, "row " + i);
            assertEquals(expected[i] >= 0.5 ? "1" : "0", cells[6]);
        }
    }

    @Test
    void writesParquetWhenTheOutputSaysSo() throws Exception {
        Path out = dir.resolve("predictions.parquet");
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, out.toUri().toString())
                .run("score");

        assertEquals(0, outcome.exitCode(), outcome.message());
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*), avg(probability_1) FROM read_parquet('"
                        + Path.of(URI.create(outcome.result().get("outputUri").asText())) + "')")) {
            rs.next();
            assertEquals(2000, rs.getLong(1));
            double[] expected = ModelScoring.fraudProbabilities(RunnerHarness.MODEL,
                    ModelScoring.rows(RunnerHarness.HOLDOUT));
            assertEquals(java.util.Arrays.stream(expected).average().orElseThrow(), rs.getDouble(2), 1e-6);
        }
    }

    @Test
    void cellsWithCommasQuotesNonAsciiTextOrNothingAreCopiedAsTheyWere() throws Exception {
        Path csv = dir.resolve("awkward.csv");
        Files.writeString(csv, """
                amount,hour,merchant_category,distance_km,account_age_days,note
                12.5,3,online,4.0,100,"a, b"
                7.25,23,fuel,,2000,"say ""hi""\"
                99.0,12,café,1.5,10,"naïve
                two lines"
                -1.0,0,online,2.0,-5,
                """);
        Path out = dir.resolve("awkward-predictions.csv");
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, out.toUri().toString())
                .run("score");

        assertEquals(0, outcome.exitCode(), outcome.message());
        String columns = "amount, hour, merchant_category, distance_km, account_age_days, note";
        assertEquals(cells(csv, columns), cells(out, columns));
        assertEquals(List.of(List.of("4")), cells(out, "count(*) FILTER (WHERE probability_0 + probability_1 > 0.999)"));
    }

    private static List<List<String>> cells(Path csv, String select) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery("SELECT " + select + " FROM read_csv('" + csv
                        + "', header = true)")) {
            List<List<String>> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                List<String> row = new java.util.ArrayList<>();
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    row.add(rs.getString(c));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void aDatasetWithoutTheModelsInputsFailsBeforeScoring() throws Exception {
        Path csv = dir.resolve("partial.csv");
        Files.writeString(csv, "amount,hour\n1.5,3\n");
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, dir.resolve("p.csv").toUri().toString())
                .run("score");

        assertEquals(Runner.FAILED, outcome.exitCode());
        assertTrue(outcome.failure().contains("has no column merchant_category"), outcome.failure());
        assertTrue(!Files.exists(dir.resolve("p.csv")));
    }
}
