package dev.modelops.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.lifecycle.GateInputs.Champion;
import dev.modelops.lifecycle.GateProblem.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> VERSION = Map.of("name", "fraud-v4", "model", "fraud", "version", "4");

    private final Gates gates = new Gates();

    @Test
    void allGatesTrueApprove() {
        GateReport report = gates.evaluate(List.of("metrics.auc >= 0.85", "metrics.f1 > 0.5 && metrics.auc < 0.99"),
                inputs(metrics("auc", 0.91, "f1", 0.8)));

        assertTrue(report.decided());
        assertTrue(report.passed());
        assertEquals(List.of(
                new GateResult("metrics.auc >= 0.85", true, Map.of("metrics.auc", 0.91)),
                new GateResult("metrics.f1 > 0.5 && metrics.auc < 0.99", true,
                        ordered("metrics.f1", 0.8, "metrics.auc", 0.91))), report.results());
        assertEquals("""
                Approved by gates:
                PASS metrics.auc >= 0.85 (metrics.auc = 0.91)
                PASS metrics.f1 > 0.5 && metrics.auc < 0.99 (metrics.f1 = 0.8, metrics.auc = 0.91)""",
                report.reason(1024));
    }

    @Test
    void oneGateFalseRejectsAndTheReasonListsBothVerdictsFailedFirst() {
        GateReport report = gates.evaluate(List.of("metrics.auc >= 0.85", "metrics.f1 >= 0.9"),
                inputs(metrics("auc", 0.91, "f1", 0.8)));

        assertTrue(report.decided());
        assertFalse(report.passed());
        assertEquals(List.of(true, false), report.results().stream().map(GateResult::verdict).toList());
        assertEquals("""
                Rejected by gates:
                FAIL metrics.f1 >= 0.9 (metrics.f1 = 0.8)
                PASS metrics.auc >= 0.85 (metrics.auc = 0.91)""", report.reason(1024));
    }

    @Test
    void noGatesPass() {
        GateReport report = gates.evaluate(List.of(), inputs(metrics("auc", 0.91)));

        assertTrue(report.passed());
        assertEquals("Approved by gates: none are configured", report.reason(1024));
    }

    @Test
    void aGateThatDoesNotCompileIsInvalidWithCelsMessageAndNoDecision() {
        GateReport report = gates.evaluate(List.of("metrics.auc >= 0.85", "metrics.auc >="),
                inputs(metrics("auc", 0.91)));

        assertFalse(report.decided());
        assertFalse(report.passed());
        GateProblem problem = report.problem().orElseThrow();
        assertEquals(Kind.InvalidGate, problem.kind());
        assertEquals("metrics.auc >=", problem.gate());
        assertTrue(problem.message().startsWith("ERROR: <input>:1:15: mismatched input '<EOF>'"), problem.message());
        assertEquals(List.of(new GateResult("metrics.auc >= 0.85", true, Map.of("metrics.auc", 0.91))),
                report.results(), "the gates that did evaluate");
        assertTrue(report.reason(1024).startsWith("No decision by gates: gate 'metrics.auc >=' is invalid: "
                + "ERROR: <input>:1:15:"), report.reason(1024));
    }

    @Test
    void anUnknownVariableOrFunctionIsInvalid() {
        GateProblem problem = gates.evaluate(List.of("metric.auc >= 0.85"), inputs(metrics("auc", 0.91)))
                .problem().orElseThrow();

        assertEquals(Kind.InvalidGate, problem.kind());
        assertTrue(problem.message().contains("undeclared reference to 'metric'"), problem.message());
    }

    @Test
    void aGateThatIsNotABoolIsInvalid() {
        GateProblem typed = gates.evaluate(List.of("metrics.auc + 1.0"), inputs(metrics("auc", 0.91)))
                .problem().orElseThrow();
        assertEquals(new GateProblem(Kind.InvalidGate, "metrics.auc + 1.0",
                "a gate must evaluate to a bool, this one to a double"), typed);

        GateProblem dynamic = gates.evaluate(List.of("statistics.rows"),
                inputs(metrics("auc", 0.91), json("{\"rows\": 1200}"))).problem().orElseThrow();
        assertEquals(new GateProblem(Kind.InvalidGate, "statistics.rows",
                "a gate must evaluate to a bool, this one evaluated to 1200"), dynamic);
    }

    @Test
    void anOtherRuntimeErrorIsInvalidWithCelsMessage() {
        GateProblem problem = gates.evaluate(List.of("statistics.rows > 1000"),
                inputs(metrics("auc", 0.91), json("{\"columns\": 3}"))).problem().orElseThrow();

        assertEquals(Kind.InvalidGate, problem.kind());
        assertEquals("evaluation error at <input>:10: key 'rows' is not present in map.", problem.message());
    }

    @Test
    void aMetricTheEvaluationDidNotReportIsMissingNamedWithWhatWasReported() {
        GateInputs inputs = inputs(metrics("f1", 0.8, "accuracy", 0.93));
        for (String gate : List.of("metrics.auc >= 0.85", "metrics['auc'] >= 0.85",
                "metrics.f1 > 0.5 && metrics.auc >= 0.85")) {
            GateReport report = gates.evaluate(List.of(gate), inputs);

            assertFalse(report.decided(), gate);
            assertEquals(new GateProblem(Kind.MissingMetric, gate, "gate '" + gate + "' needs metric auc, which the "
                    + "evaluation did not report (it reported: accuracy, f1)"), report.problem().orElseThrow());
            assertEquals("No decision by gates: " + report.problem().get().message(), report.reason(1024));
        }
    }

    @Test
    void aMetricReadWithAComputedKeyIsMissingByTheKeyCelReports() {
        String gate = "metrics[version.model + '_auc'] >= 0.85";
        GateProblem problem = gates.evaluate(List.of(gate), inputs(metrics("auc", 0.91))).problem().orElseThrow();

        assertEquals(new GateProblem(Kind.MissingMetric, gate, "gate '" + gate + "' needs metric fraud_auc, which "
                + "the evaluation did not report (it reported: auc)"), problem);
    }

    @Test
    void aMetricTheGateOnlyAsksAboutIsNotNeeded() {
        GateReport report = gates.evaluate(List.of("!has(metrics.auc) || metrics.auc >= 0.85",
                "metrics.f1 > 0.9 || metrics.auc >= 0.85"), inputs(metrics("f1", 0.95)));

        assertTrue(report.passed(), report.toString());
        assertEquals(Map.of(), report.results().get(0).values());
    }

    @Test
    void theChampionIsComparedWhenThereIsOne() {
        String gate = "!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01";

        GateReport better = gates.evaluate(List.of(gate), inputs(metrics("auc", 0.91), champion(0.89)));
        assertTrue(better.passed());
        assertEquals(ordered("metrics.auc", 0.91, "champion.metrics.auc", 0.89), better.results().get(0).values());
        assertEquals("Approved by gates:\nPASS " + gate + " (metrics.auc = 0.91, champion.metrics.auc = 0.89)",
                better.reason(1024));

        GateReport notBetterEnough = gates.evaluate(List.of(gate), inputs(metrics("auc", 0.91), champion(0.905)));
        assertTrue(notBetterEnough.decided());
        assertFalse(notBetterEnough.passed());
        assertEquals("Rejected by gates:\nFAIL " + gate + " (metrics.auc = 0.91, champion.metrics.auc = 0.905)",
                notBetterEnough.reason(1024));
    }

    @Test
    void withoutAChampionTheGuardedComparisonPasses() {
        String gate = "!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01";
        GateReport report = gates.evaluate(List.of(gate, "!has(champion.name)", "size(champion) == 0"),
                inputs(metrics("auc", 0.91)));

        assertTrue(report.passed(), report.toString());
        assertEquals(Map.of("metrics.auc", 0.91), report.results().get(0).values());
    }

    @Test
    void withoutAChampionAnUnguardedComparisonIsInvalidAndSaysHowToGuardIt() {
        GateProblem problem = gates.evaluate(List.of("metrics.auc >= champion.metrics.auc"),
                inputs(metrics("auc", 0.91))).problem().orElseThrow();

        assertEquals(Kind.InvalidGate, problem.kind());
        assertTrue(problem.message().startsWith("the model has no champion, and the gate reads it without asking "
                + "has(champion.metrics) first"), problem.message());
        assertTrue(problem.message().endsWith("key 'metrics' is not present in map."), problem.message());
    }

    @Test
    void aMetricTheChampionDidNotReportIsMissingNamedAsTheChampions() {
        String gate = "!has(champion.metrics) || metrics.auc >= champion.metrics.auc";
        GateInputs inputs = new GateInputs(metrics("auc", 0.91), null, VERSION,
                Optional.of(new Champion("fraud-v3", "3", metrics("accuracy", 0.9))));

        assertEquals(new GateProblem(Kind.MissingMetric, gate, "gate '" + gate + "' needs the champion's metric auc, "
                        + "which the champion fraud-v3 did not report (it reported: accuracy)"),
                gates.evaluate(List.of(gate), inputs).problem().orElseThrow());
    }

    @Test
    void statisticsAreDynamicJsonWithDoubleNumbers() {
        JsonNode statistics = json("""
                {"rows": 1200, "target": "fraud", "balanced": false,
                 "columns": [{"name": "amount", "mean": 41.5, "nulls": 0}, {"name": "country", "nulls": 0}]}""");
        List<String> list = List.of("statistics.rows > 1000", "statistics.columns[0].mean < 50.0",
                "statistics.columns.all(c, c.nulls == 0.0)", "statistics.target == 'fraud' && !statistics.balanced",
                "has(statistics.columns) && size(statistics.columns) == 2");
        GateReport report = gates.evaluate(list, inputs(metrics("auc", 0.91), statistics));

        assertTrue(report.passed(), report.toString());
        assertEquals(Map.of("statistics.rows", 1200.0), report.results().get(0).values());
        assertEquals(Map.of("statistics.columns[0].mean", 41.5), report.results().get(1).values());
        assertEquals(ordered("statistics.target", "fraud", "statistics.balanced", false),
                report.results().get(3).values());
        assertEquals("""
                Approved by gates:
                PASS statistics.rows > 1000 (statistics.rows = 1200)
                PASS statistics.columns[0].mean < 50.0 (statistics.columns[0].mean = 41.5)
                PASS statistics.columns.all(c, c.nulls == 0.0)
                PASS statistics.target == 'fraud' && !statistics.balanced (statistics.target = "fraud", \
                statistics.balanced = false)
                PASS has(statistics.columns) && size(statistics.columns) == 2""", report.reason(1024));
    }

    @Test
    void aComprehensionVariableNamedLikeAVariableIsNotThatVariable() {
        GateReport report = gates.evaluate(List.of("statistics.columns.exists(metrics, metrics.nulls == 0.0)"),
                inputs(metrics("nulls", 7.0), json("{\"columns\": [{\"nulls\": 0}]}")));

        assertTrue(report.passed(), report.toString());
        assertEquals(Map.of(), report.results().get(0).values());
    }

    @Test
    void withoutStatisticsTheyAreAnEmptyMap() {
        GateReport report = gates.evaluate(List.of("size(statistics) == 0", "!has(statistics.rows)"),
                inputs(metrics("auc", 0.91), (JsonNode) null));

        assertTrue(report.passed(), report.toString());
    }

    @Test
    void theVersionIsAMapOfStrings() {
        GateReport report = gates.evaluate(List.of("version.model == 'fraud' && version.version == '4'",
                "!has(version.artifactDigest)"), inputs(metrics("auc", 0.91)));

        assertTrue(report.passed(), report.toString());
    }

    @Test
    void numbersCompareAcrossIntAndDouble() {
        GateReport report = gates.evaluate(List.of("metrics.auc < 1", "metrics.auc > 0", "metrics.loss <= 2",
                        "statistics.rows >= 1200", "!(metrics.auc >= 1)"),
                inputs(metrics("auc", 0.91, "loss", 2.0), json("{\"rows\": 1200}")));

        assertTrue(report.passed(), report.toString());
    }

    @Test
    void theReasonShowsNumbersPlainlyAndEachGateOnOneLine() {
        GateReport report = gates.evaluate(List.of("""
                        metrics.auc >= 0.85 &&
                          metrics.loss < 1.0""", "metrics.tiny >= 0.0", "metrics.sum > 0.0"),
                inputs(metrics("auc", 0.91, "loss", 0.10, "tiny", 1e-9, "sum", 0.1 + 0.2)));

        assertEquals("""
                Approved by gates:
                PASS metrics.auc >= 0.85 && metrics.loss < 1.0 (metrics.auc = 0.91, metrics.loss = 0.1)
                PASS metrics.tiny >= 0.0 (metrics.tiny = 1E-9)
                PASS metrics.sum > 0.0 (metrics.sum = 0.30000000000000004)""", report.reason(1024));
        assertEquals("1200", GateReport.number(1200.0));
        assertEquals("0.91", GateReport.number(0.91));
        assertEquals("-3", GateReport.number(-3.0));
        assertEquals("0", GateReport.number(-0.0));
        assertEquals("NaN", GateReport.number(Double.NaN));
    }

    @Test
    void theReasonIsBoundedByWholeLinesAndSaysHowManyGatesItLeftOut() {
        List<String> list = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < 32; i++) {
            String name = "a_rather_long_metric_name_for_the_segment_number_" + i;
            metrics.put(name, 0.5 + i / 100.0);
            list.add("metrics." + name + " >= " + (i == 17 ? "0.99" : "0.5") + " && metrics." + name + " < 1.0");
        }
        GateReport report = gates.evaluate(list, inputs(metrics));
        String reason = report.reason(1024);
        String unbounded = report.reason(Integer.MAX_VALUE);

        assertFalse(report.passed());
        assertTrue(reason.length() <= 1024, reason.length() + " chars");
        assertTrue(unbounded.length() > 4096, "the bound matters");
        List<String> lines = reason.lines().toList();
        List<String> all = unbounded.lines().toList();
        assertEquals("Rejected by gates:", lines.get(0));
        assertTrue(lines.get(1).startsWith("FAIL metrics.a_rather_long_metric_name_for_the_segment_number_17 >= 0.99"),
                "the failed gate first: " + lines.get(1));
        int shown = lines.size() - 2;
        assertEquals(all.subList(0, shown + 1), lines.subList(0, shown + 1), "whole lines");
        assertEquals("... and " + (32 - shown) + " more gates", lines.get(lines.size() - 1));
        assertTrue(reason.length() + all.get(shown + 1).length() + 1 > 1024, "as many lines as fit: " + shown);
        assertEquals(reason, gates.evaluate(list, inputs(metrics)).reason(1024), "deterministic");
    }

    @Test
    void aTinyBoundStillHolds() {
        GateReport report = gates.evaluate(List.of("metrics.auc >= 0.85", "metrics.auc < 0.95"),
                inputs(metrics("auc", 0.91)));

        assertEquals("Approved by gates:\n... and 2 more gates", report.reason(40));
        assertEquals("Approved by gates:\n... and 2 more...", report.reason(36));
        assertEquals(5, report.reason(5).length());
    }

    @Test
    void theSameGatesFromManyThreadsGiveTheSameReport() throws Exception {
        List<String> list = List.of("metrics.auc >= 0.85", "metrics.f1 >= 0.9",
                "!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01", "statistics.rows > 1000",
                "metrics.missing > 0.0 || metrics.auc > 0.5");
        GateInputs inputs = inputs(metrics("auc", 0.91, "f1", 0.95), json("{\"rows\": 1200}"), champion(0.89));
        GateReport expected = new Gates().evaluate(list, inputs);
        assertTrue(expected.passed(), expected.toString());

        // Cold cache, all threads released at once; then a cache smaller than the list, where threads keep
        // evicting and compiling each other's gates.
        assertSameFromThreads(new Gates(), list, inputs, expected, 100);
        Gates small = new Gates(3);
        assertSameFromThreads(small, list, inputs, expected, 5);
        assertTrue(small.cachedPrograms() <= 3);
    }

    private static void assertSameFromThreads(Gates shared, List<String> list, GateInputs inputs,
            GateReport expected, int times) throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<GateReport>>> futures = IntStream.range(0, threads)
                    .mapToObj(thread -> pool.submit(() -> {
                        start.await();
                        return IntStream.range(0, times).mapToObj(i -> shared.evaluate(list, inputs)).toList();
                    }))
                    .toList();
            start.countDown();
            for (Future<List<GateReport>> future : futures) {
                for (GateReport report : future.get()) {
                    assertEquals(expected, report);
                    assertEquals(expected.reason(1024), report.reason(1024));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void compiledGatesAreCachedUpToTheBound() {
        Gates small = new Gates(4);
        for (int i = 0; i < 10; i++) {
            assertTrue(small.evaluate(List.of("metrics.auc > 0." + i), inputs(metrics("auc", 0.91))).decided());
        }
        assertEquals(4, small.cachedPrograms());
    }

    private static GateInputs inputs(Map<String, Double> metrics) {
        return inputs(metrics, (JsonNode) null);
    }

    private static GateInputs inputs(Map<String, Double> metrics, JsonNode statistics) {
        return new GateInputs(metrics, statistics, VERSION, Optional.empty());
    }

    private static GateInputs inputs(Map<String, Double> metrics, Optional<Champion> champion) {
        return new GateInputs(metrics, null, VERSION, champion);
    }

    private static GateInputs inputs(Map<String, Double> metrics, JsonNode statistics, Optional<Champion> champion) {
        return new GateInputs(metrics, statistics, VERSION, champion);
    }

    private static Optional<Champion> champion(double auc) {
        return Optional.of(new Champion("fraud-v3", "3", Map.of("auc", auc)));
    }

    private static Map<String, Double> metrics(Object... namesAndValues) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            metrics.put((String) namesAndValues[i], (Double) namesAndValues[i + 1]);
        }
        return metrics;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
