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
}
