package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminationMessageTest {

    @Test
    void aJsonResultBecomesTheJobResult() {
        TerminationMessage.Parsed parsed = TerminationMessage.parse("""
                {"metrics":{"auc":0.91,"rows":1000},"artifactUri":"s3://models/churn/3/model.onnx",
                 "statistics":{"columns":{"age":{"mean":41.2}}}}""");

        JobResult result = parsed.result().orElseThrow();
        assertEquals(Map.of("auc", 0.91, "rows", 1000.0), result.getMetrics());
        assertEquals("s3://models/churn/3/model.onnx", result.getArtifactUri());
        assertEquals(41.2, result.getStatistics().path("columns").path("age").path("mean").asDouble());
        assertTrue(parsed.problem().isEmpty());
    }

    @Test
    void noMessageIsNoResultAndNoProblem() {
        assertTrue(TerminationMessage.parse(null).result().isEmpty());
        assertTrue(TerminationMessage.parse("  ").problem().isEmpty());
    }

    @Test
    void invalidJsonIsAProblemThatQuotesTheFirstBytes() {
        String problem = TerminationMessage.parse("auc=0.91 (not json)").problem().orElseThrow();

        assertTrue(problem.startsWith("the termination message is not a result (JSON with metrics, artifactUri,"
                + " outputUri, statistics): \"auc=0.91 (not json)\""), problem);
    }

    @Test
    void aMetricThatIsNotANumberIsAProblem() {
        String problem = TerminationMessage.parse("{\"metrics\":{\"auc\":\"high\"}}").problem().orElseThrow();

        assertTrue(problem.startsWith("the termination message is not a result (JSON with metrics, artifactUri,"
                + " outputUri, statistics): \"{\"metrics\":{\"auc\":\"high\"}}\": "), problem);
    }

    @Test
    void anUnknownFieldIsAProblemRatherThanLostInSilence() {
        assertTrue(TerminationMessage.parse("{\"metricz\":{\"auc\":0.9}}").problem().isPresent());
    }

    @Test
    void aLongMessageIsQuotedOnlyByItsBeginning() {
        String problem = TerminationMessage.parse("x".repeat(5000)).problem().orElseThrow();

        assertTrue(problem.startsWith("the termination message is longer than 4 KiB: \"" + "x".repeat(80) + "...\""),
                problem);
    }

    @Test
    void jsonNullIsAProblemNotAResult() {
        TerminationMessage.Parsed parsed = TerminationMessage.parse("null");

        assertTrue(parsed.result().isEmpty());
        assertTrue(parsed.problem().orElseThrow().startsWith("the termination message is not a result"),
                parsed.problem().get());
    }

    @Test
    void jsonOfTheWrongShapeIsAProblemThatSaysWhatWasExpected() {
        for (String wrong : new String[] {"{\"metrics\":\"auc=0.91\"}", "[{\"metrics\":{\"auc\":0.91}}]", "42",
                "\"done\"", "{\"metrics\":[0.91]}", "{\"artifactUri\":{\"uri\":\"s3://x\"}}", "true"}) {
            String problem = TerminationMessage.parse(wrong).problem().orElseThrow(() -> new AssertionError(wrong));

            assertTrue(problem.startsWith("the termination message is not a result (JSON with metrics, artifactUri,"
                    + " outputUri, statistics): "), problem);
        }
    }

    @Test
    void aSecondDocumentAfterTheResultIsAProblemRatherThanIgnored() {
        String problem = TerminationMessage.parse("{\"metrics\":{\"auc\":0.5}} {\"metrics\":{\"auc\":0.9}}")
                .problem().orElseThrow();

        assertTrue(problem.startsWith("the termination message is not a result"), problem);
    }

    @Test
    void aMetricThatIsNullOrBeyondADoubleIsAProblemNamingIt() {
        assertEquals("the termination message is not a result: metric \"auc\" is null, not a number",
                TerminationMessage.parse("{\"metrics\":{\"auc\":null}}").problem().orElseThrow());
        assertEquals("the termination message is not a result: metric \"loss\" is not a finite number",
                TerminationMessage.parse("{\"metrics\":{\"auc\":0.5,\"loss\":1e999}}").problem().orElseThrow());
    }

    @Test
    void unicodeMetricNamesAndValuesAreKeptAsWritten() {
        JobResult result = TerminationMessage.parse("{\"metrics\":{\"précision\":0.9,\"召回率\":0.8,\"🎯\":1},"
                + "\"artifactUri\":\"s3://modèles/churn/ü.onnx\"}").result().orElseThrow();

        assertEquals(Map.of("précision", 0.9, "召回率", 0.8, "🎯", 1.0), result.getMetrics());
        assertEquals("s3://modèles/churn/ü.onnx", result.getArtifactUri());
    }

    @Test
    void aMessageCutToTheLast4KiBByTheKubeletSaysItWasCut() {
        // A kubelet keeps the last 4096 bytes of a longer termination message: what is left is not JSON.
        String written = "{\"metrics\":{\"auc\":0.91},\"statistics\":{\"note\":\"" + "x".repeat(5000) + "\"}}";
        String cut = written.substring(written.length() - 4096);

        String problem = TerminationMessage.parse(cut).problem().orElseThrow();

        assertTrue(problem.startsWith("the termination message is not a result"), problem);
        assertTrue(problem.endsWith("; it is 4096 bytes, all that Kubernetes keeps of a termination message: a longer"
                + " one loses its beginning"), problem);
    }
}
