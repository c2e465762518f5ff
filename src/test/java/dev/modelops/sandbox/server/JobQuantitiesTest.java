package dev.modelops.sandbox.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.sandbox.admission.JobValidator;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Resource quantities in a Job are read as the API server decodes them and shown in its messages in canonical form
 * ({@code resource.Quantity.String()}); the expected forms are what kubectl 1.32's own apimachinery prints.
 */
class JobQuantitiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JobValidator JOBS = new JobValidator();
    private static final String FORMAT_WRONG = "Job in version \"v1\" cannot be handled as a Job: quantities must match "
            + "the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    private static final String SUFFIX_WRONG = "Job in version \"v1\" cannot be handled as a Job: unable to parse "
            + "quantity's suffix";

    @Test
    void quantitiesThatDoNotParseMakeTheJobUnreadable() {
        assertEquals(Optional.of(FORMAT_WRONG), JOBS.decodeError(job("\"1Gb\"", "\"1Gi\"")));
        assertEquals(Optional.of(FORMAT_WRONG), JOBS.decodeError(job("\"\"", "\"1Gi\"")));
        assertEquals(Optional.of(FORMAT_WRONG), JOBS.decodeError(job("true", "\"1Gi\"")));
        assertEquals(Optional.of(SUFFIX_WRONG), JOBS.decodeError(job("\"1GG\"", "\"1Gi\"")));
        assertEquals(Optional.of(SUFFIX_WRONG), JOBS.decodeError(job("\"1e\"", "\"1Gi\"")));
        assertEquals(Optional.of(FORMAT_WRONG), JOBS.decodeError(job("\"1\"", "\"lots\"")));
    }

    @Test
    void quantitiesThatParseLeaveTheJobReadable() {
        for (String quantity : new String[] {"\" 2Gi \"", "2", "0.5", "\"+1.5e3\"", "\"100m\"", "\"1E\"", "null"}) {
            assertEquals(Optional.empty(), JOBS.decodeError(job(quantity, "\"1Gi\"")), quantity);
        }
    }

    @Test
    void messagesShowQuantitiesInCanonicalForm() {
        Map<String, String> canonical = Map.ofEntries(
                Map.entry("0.5", "500m"),
                Map.entry("1000m", "1"),
                Map.entry("1500m", "1500m"),
                Map.entry("2000", "2k"),
                Map.entry("1100", "1100"),
                Map.entry("1.5Gi", "1536Mi"),
                Map.entry("1024Mi", "1Gi"),
                Map.entry("3Ki", "3Ki"),
                Map.entry("1e3", "1e3"),
                Map.entry("12e2", "1200"),
                Map.entry("0.1m", "100u"),
                Map.entry("1.0000000001", "1000000001n"),
                Map.entry("+1", "+1"));

        canonical.forEach((written, shown) -> assertEquals("Job.batch \"q\" is invalid: spec.template.spec"
                + ".containers[0].resources.requests: Invalid value: \"" + shown + "\": must be less than or equal to "
                + "cpu limit of 1n", JOBS.validateCreate(job("\"" + written + "\"", "\"1n\"")).message(), written));
    }

    @Test
    void extendedResourcesAreWholeAndRequestedAtTheirLimit() {
        ObjectNode job = job("\"1\"", "\"1\"");
        ObjectNode resources = (ObjectNode) job.at("/spec/template/spec/containers/0/resources");
        ((ObjectNode) resources.get("requests")).put("nvidia.com/gpu", "500m");

        assertEquals("Job.batch \"q\" is invalid: [spec.template.spec.containers[0].resources.requests[nvidia.com/gpu]: "
                + "Invalid value: \"500m\": must be an integer, spec.template.spec.containers[0].resources.limits: "
                + "Required value: Limit must be set for non overcommitable resources]",
                JOBS.validateCreate(job).message());
    }

    /** A Job whose container requests and limits cpu by these JSON values. */
    private static ObjectNode job(String cpuRequest, String cpuLimit) {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "q"},
                     "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "main",
                       "image": "trainer:1", "resources": {"requests": {"cpu": %s}, "limits": {"cpu": %s}}}]}}}}
                    """.formatted(cpuRequest, cpuLimit));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
