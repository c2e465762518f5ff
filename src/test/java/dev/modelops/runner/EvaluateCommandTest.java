package dev.modelops.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateCommandTest {

    @TempDir
    Path dir;

    @Test
    void binaryMetricsMatchAnIndependentComputation() throws Exception {
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .run("evaluate");
        assertEquals(0, outcome.exitCode(), outcome.message());

        List<ModelScoring.Row> rows = ModelScoring.rows(RunnerHarness.HOLDOUT);
        double[] p = ModelScoring.fraudProbabilities(RunnerHarness.MODEL, rows);
        int[] y = rows.stream().mapToInt(ModelScoring.Row::label).toArray();
        assertEquals(rankSumAuc(y, p), outcome.metric("auc"), 1e-9, "ROC integration = Mann-Whitney U / (n1 n0)");
        long tp = IntStream.range(0, y.length).filter(i -> y[i] == 1 && p[i] >= 0.5).count();
        long fp = IntStream.range(0, y.length).filter(i -> y[i] == 0 && p[i] >= 0.5).count();
        long fn = IntStream.range(0, y.length).filter(i -> y[i] == 1 && p[i] < 0.5).count();
        long tn = y.length - tp - fp - fn;
        assertEquals((double) (tp + tn) / y.length, outcome.metric("accuracy"), 1e-12);
        assertEquals(tp + fp == 0 ? 0 : (double) tp / (tp + fp), outcome.metric("precision"), 1e-12);
        assertEquals((double) tp / (tp + fn), outcome.metric("recall"), 1e-12);
        double logLoss = -IntStream.range(0, y.length)
                .mapToDouble(i -> y[i] == 1 ? Math.log(p[i]) : Math.log(1 - p[i])).average().orElseThrow();
        assertEquals(logLoss, outcome.metric("logLoss"), 1e-9);
        assertEquals(2000, outcome.metric("rows"));
        System.out.println("holdout AUC " + outcome.metric("auc"));
    }

    @Test
    void driftIsSmallOnLikeDataAndLargeOnShiftedData() throws Exception {
        RunnerHarness.Outcome statistics = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.TRAIN.toUri().toString()).run("compute-statistics");
        assertEquals(0, statistics.exitCode(), statistics.message());
        String summary = statistics.result().get("statistics").toString();

        RunnerHarness.Outcome like = new RunnerHarness(dir).with(RunnerEnv.STATISTICS, summary)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString()).run("evaluate");
        assertEquals(0, like.exitCode(), like.message());
        assertTrue(like.metric("driftMax") < 0.1, like.message());

        Path shifted = dir.resolve("shifted.csv");
        List<String> lines = Files.readAllLines(RunnerHarness.HOLDOUT);
        StringBuilder text = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            cells[0] = Double.toString(Double.parseDouble(cells[0]) * 3);
            cells[2] = "online";
            text.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(shifted, text);
        RunnerHarness.Outcome drifted = new RunnerHarness(dir).with(RunnerEnv.STATISTICS, summary)
                .with(RunnerEnv.DATASET_URI, shifted.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString()).run("evaluate");
        assertEquals(0, drifted.exitCode(), drifted.message());
        assertTrue(drifted.metric("psi_amount") > 0.25, drifted.message());
        assertTrue(drifted.metric("psi_merchant_category") > 1, drifted.message());
        assertTrue(drifted.metric("psi_hour") < 0.1, drifted.message());

        String report = statistics.result().get("statistics").get("uri").asText();
        RunnerHarness.Outcome byReport = new RunnerHarness(dir).with(RunnerEnv.STATISTICS, summary)
                .with(RunnerEnv.STATISTICS_URI, report)
                .with(RunnerEnv.DATASET_URI, shifted.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString()).run("evaluate");
        assertEquals(0, byReport.exitCode(), byReport.message());
        assertTrue(byReport.metric("psi_amount") > 0.25, byReport.message());
        assertEquals(drifted.metric("psi_amount"), byReport.metric("psi_amount"), 1e-9, "the same decile bins");
    }

    @Test
    void regressionAndMulticlassModelsTrainedByTheRunnerEvaluate() throws Exception {
        Path csv = dir.resolve("points.csv");
        StringBuilder text = new StringBuilder("x,z,kind,y,band\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 600; i++) {
            double x = random.nextDouble() * 10;
            double z = random.nextDouble() * 10;
            String kind = i % 2 == 0 ? "a" : "b";
            double y = 3 * x - 2 * z + (kind.equals("a") ? 5 : 0) + random.nextDouble() - 0.5;
            String band = x < 3.3 ? "low" : x < 6.6 ? "mid" : "high";
            text.append(x).append(',').append(z).append(',').append(kind).append(',').append(y).append(',')
                    .append(band).append('\n');
        }
        Files.writeString(csv, text);

        RunnerHarness regression = new RunnerHarness(dir).with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .with(RunnerEnv.LABEL_COLUMN, "y").with(RunnerEnv.FEATURE_COLUMNS, "x,z,kind")
                .with(RunnerEnv.HYPERPARAMETERS, "epochs=30");
        RunnerHarness.Outcome trained = regression.run("train");
        assertEquals(0, trained.exitCode(), trained.message());
        assertTrue(trained.metric("trainR2") > 0.95, trained.message());
        RunnerHarness.Outcome evaluated = regression
                .with(RunnerEnv.ARTIFACT_URI, trained.result().get("artifactUri").asText()).run("evaluate");
        assertEquals(0, evaluated.exitCode(), evaluated.message());
        assertEquals(trained.metric("trainRmse"), evaluated.metric("rmse"), 1e-3);
        assertEquals(trained.metric("trainR2"), evaluated.metric("r2"), 1e-3);

        RunnerHarness multiclass = new RunnerHarness(dir.resolve("m")).with(RunnerEnv.WORK_DIR, dir.toString())
                .with(RunnerEnv.ARTIFACT_STORE, dir.resolve("m-store").toUri().toString())
                .with(RunnerEnv.DATASET_URI, csv.toUri().toString())
                .with(RunnerEnv.LABEL_COLUMN, "band").with(RunnerEnv.FEATURE_COLUMNS, "x,z");
        RunnerHarness.Outcome bands = multiclass.run("train");
        assertEquals(0, bands.exitCode(), bands.message());
        RunnerHarness.Outcome bandsEvaluated = multiclass
                .with(RunnerEnv.ARTIFACT_URI, bands.result().get("artifactUri").asText()).run("evaluate");
        assertEquals(0, bandsEvaluated.exitCode(), bandsEvaluated.message());
        assertEquals(bands.metric("trainAccuracy"), bandsEvaluated.metric("accuracy"), 1e-9);
        assertEquals(bands.metric("trainMacroF1"), bandsEvaluated.metric("macroF1"), 1e-9);
        assertTrue(bandsEvaluated.metric("accuracy") > 0.8, bandsEvaluated.message());
    }

    @Test
    void aLabelThatIsNotThereFailsWithOneLine() {
        RunnerHarness.Outcome outcome = new RunnerHarness(dir)
                .with(RunnerEnv.DATASET_URI, RunnerHarness.HOLDOUT.toUri().toString())
                .with(RunnerEnv.ARTIFACT_URI, RunnerHarness.MODEL.toUri().toString())
                .with(RunnerEnv.LABEL_COLUMN, "chargeback").run("evaluate");

        assertEquals(Runner.FAILED, outcome.exitCode());
        assertTrue(outcome.failure().contains("has no column chargeback (the label)"), outcome.failure());
    }

    /** AUC = (R1 - n1 (n1 + 1) / 2) / (n1 n0), R1 the sum of the positives' ranks, ties at their mean rank. */
    static double rankSumAuc(int[] y, double[] p) {
        Integer[] order = IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> p[i]))
                .toArray(Integer[]::new);
        double[] rank = new double[p.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && p[order[j + 1]] == p[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                rank[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        long n1 = Arrays.stream(y).filter(v -> v == 1).count();
        long n0 = y.length - n1;
        double r1 = IntStream.range(0, y.length).filter(i -> y[i] == 1).mapToDouble(i -> rank[i]).sum();
        return (r1 - n1 * (n1 + 1) / 2.0) / (n1 * n0);
    }
}
