package dev.modelops.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsCommandTest {

    private static final double[] X = {1, 2, 2, 3, 5, 8, 13, 21, 34};

    @TempDir
    Path dir;

    @Test
    void perColumnStatisticsMatchAHandComputation() throws Exception {
        Path csv = dir.resolve("small.csv");
        StringBuilder text = new StringBuilder("x,colour,flag\n");
        String[] colours = {"red", "red", "blue", "red", "green", "blue", "red", "", "blue", "red"};
        for (int i = 0; i < 10; i++) {
            text.append(i < X.length ? fmt(X[i]) : "").append(',').append(colours[i]).append(',')
                    .append(i % 3 == 0).append('\n');
        }
        Files.writeString(csv, text);
        String report = dir.resolve("out/statistics.json").toUri().toString();

        RunnerHarness.Outcome outcome = new RunnerHarness(dir).with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .with(RunnerEnv.OUTPUT_URI, report).run("compute-statistics");

        assertEquals(0, outcome.exitCode(), outcome.message());
        JsonNode statistics = outcome.result().get("statistics");
        assertEquals(10, statistics.get("rows").asLong());
        assertEquals(report, statistics.get("uri").asText());
        JsonNode x = statistics.get("columns").get("x");
        double mean = Arrays.stream(X).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(X).map(v -> (v - mean) * (v - mean)).sum() / (X.length - 1));
        assertEquals(9, x.get("count").asLong());
        assertEquals(1, x.get("missing").asLong());
        assertEquals(mean, x.get("mean").asDouble(), 1e-4);
        assertEquals(std, x.get("std").asDouble(), 1e-4);
        assertEquals(1, x.get("min").asDouble());
        assertEquals(34, x.get("max").asDouble());
        assertEquals(quantile(0.5), x.get("quantiles").get("p50").asDouble(), 1e-9);
        assertEquals(quantile(0.25), x.get("quantiles").get("p25").asDouble(), 1e-9);
        assertEquals(quantile(0.95), x.get("quantiles").get("p95").asDouble(), 1e-4);
        assertArrayEquals(histogram(10), longs(x.get("histogram")));
        // deciles as the inverse empirical CDF (the value of rank ceil(9 q)): 1 2 2 3 5 8 13 21 34, deduplicated
        assertEquals("[1,2,3,5,8,13,21,34]", x.get("deciles").get("edges").toString());
        assertArrayEquals(new long[] {0, 1, 2, 1, 1, 1, 1, 1, 1}, longs(x.get("deciles").get("counts")));

        JsonNode colour = statistics.get("columns").get("colour");
        assertEquals(1, colour.get("missing").asLong(), "an empty CSV cell is missing");
        assertEquals(3, colour.get("distinct").asLong());
        assertEquals(5, colour.get("top").get("red").asLong());
        assertEquals(3, colour.get("top").get("blue").asLong());
        assertEquals(4, statistics.get("columns").get("flag").get("top").get("true").asLong());

        JsonNode full = new ObjectMapper().readTree(Files.readString(Path.of(URI.create(report))));
        assertArrayEquals(histogram(20), longs(full.get("columns").get("x").get("histogram")));
        assertEquals(quantile(0.99), full.get("columns").get("x").get("quantiles").get("p99").asDouble(), 1e-4);
    }

    @Test
    void checksThatTheDatasetHasTheModelsInputs() throws Exception {
        Path csv = dir.resolve("no-hour.csv");
        Files.writeString(csv, "amount,merchant_category,distance_km,account_age_days\n10.5,grocery,3.2,100\n");

        RunnerHarness.Outcome ok = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString()).run("compute-statistics");
        assertEquals(0, ok.exitCode(), ok.message());
        assertTrue(ok.result().get("statistics").get("modelInputsChecked").asBoolean());
        assertTrue(ok.result().get("statistics").get("uri").asText().endsWith("/fraud/fraud-v1/statistics.json"));

        RunnerHarness.Outcome missing = new RunnerHarness(dir).with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString()).run("compute-statistics");
        assertEquals(Runner.FAILED, missing.exitCode());
        assertTrue(missing.failure().contains("has no column hour"), missing.failure());

        Path wrongType = dir.resolve("text-amount.csv");
        Files.writeString(wrongType, "amount,hour,merchant_category,distance_km,account_age_days\n"
                + "ten,1,grocery,3.2,100\n");
        RunnerHarness.Outcome typed = new RunnerHarness(dir).with(RunnerEnv.DATASET_URI, wrongType.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString()).run("compute-statistics");
        assertEquals(Runner.FAILED, typed.exitCode());
        assertTrue(typed.failure().contains("column amount") && typed.failure().contains("VARCHAR"), typed.failure());
    }

    @Test
    void aWideDatasetsSummaryStillFitsTheTerminationMessage() throws Exception {
        Path csv = dir.resolve("wide.csv");
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < 40; c++) {
            text.append(c == 0 ? "" : ",").append("column_number_").append(c);
        }
        text.append('\n');
        for (int r = 0; r < 50; r++) {
            for (int c = 0; c < 40; c++) {
                text.append(c == 0 ? "" : ",").append(r * 1.37 + c);
            }
            text.append('\n');
        }
        Files.writeString(csv, text);

        RunnerHarness.Outcome outcome = new RunnerHarness(dir).with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .run("compute-statistics");

        assertEquals(0, outcome.exitCode(), outcome.message());
        assertTrue(outcome.message().getBytes().length <= 4096, outcome.message().length() + " bytes");
        assertTrue(outcome.result().get("statistics").has("uri"));
    }

    @Test
    void anUnreadableDatasetFailsWithOneLine() {
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, dir.resolve("nothing.csv").toUri().toString()).run("compute-statistics");

        assertEquals(Runner.FAILED, outcome.exitCode());
        assertTrue(outcome.failure().startsWith("cannot read file:"), outcome.failure());
        assertFalse(outcome.failure().contains("\n"));
    }

    /** Linear interpolation between the closest ranks (numpy's default, DuckDB's quantile_cont). */
    private static double quantile(double q) {
        double[] sorted = X.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static long[] histogram(int bins) {
        double width = (34.0 - 1.0) / bins;
        long[] h = new long[bins];
        for (double v : X) {
            h[(int) Math.min(bins - 1, Math.floor((v - 1) / width))]++;
        }
        return h;
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
