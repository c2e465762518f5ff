package dev.modelops.workload;

import dev.modelops.testing.OperatorWorkloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every workload the operator made in the test suites (kept by {@link OperatorWorkloads}): its pods meet Pod Security
 * "restricted" by {@link PodSecurityStandard}, or the resource they belong to said which field does not in a Warning.
 * Runs after the suites ({@code ./mvnw verify}).
 */
class OperatorPodsAreRestrictedIT {

    @Test
    void everyPodTheOperatorMadeInTheSuitesIsRestrictedOrItsOwnerSaysWhyNot() throws IOException {
        assertTrue(Files.exists(OperatorWorkloads.FILE), OperatorWorkloads.FILE
                + " is missing: it is written by the test suites, run them first (./mvnw verify)");
        List<String> lines = Files.readAllLines(OperatorWorkloads.FILE);
        System.out.println("The operator's workloads in the suites: " + lines.size() + ", restricted: "
                + lines.stream().filter(line -> line.endsWith(OperatorWorkloads.RESTRICTED)).count() + ", relaxed with a"
                + " Warning: " + lines.stream().filter(line -> line.contains(OperatorWorkloads.WARNED)).count());
        assertEquals(List.of(), lines.stream().filter(line -> line.contains(OperatorWorkloads.UNTOLD)).toList());
        Set<String> kinds = lines.stream().map(line -> line.substring(0, line.indexOf(' ')))
                .collect(Collectors.toSet());
        assertEquals(Set.of("Job", "CronJob", "Deployment"), kinds, "the suites made each kind of workload");
    }
}
