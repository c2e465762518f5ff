package dev.modelops.operator;

import dev.modelops.testing.SandboxResource;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tests run one operator, without leader election (application.properties, %test). */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class LeaderElectionOffInTestsTest {

    @Inject
    Operator operator;

    @Test
    void testsRunWithoutLeaderElection() {
        assertTrue(operator.getConfigurationService().getLeaderElectionConfiguration().isEmpty());
    }
}
