package dev.modelops.operator;

import dev.modelops.testing.InjectSandbox;
import dev.modelops.testing.SandboxResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The packaged wiring: with {@code modelops.leader-election.enabled=true} the Quarkus operator SDK takes the
 * producer's configuration and the operator holds the Lease in its client's namespace. (The test profile turns the
 * election off; this test turns it on.)
 */
@QuarkusTest
@TestProfile(LeaderElectionWiringTest.On.class)
@QuarkusTestResource(SandboxResource.class)
class LeaderElectionWiringTest {

    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modelops.leader-election.enabled", "true",
                    "modelops.leader-election.identity", "operator-under-test",
                    "modelops.leader-election.lease-duration", "2s",
                    "modelops.leader-election.renew-deadline", "1500ms",
                    "modelops.leader-election.retry-period", "500ms");
        }
    }

    @Inject
    Operator operator;

    @InjectSandbox
    KubernetesClient client;

    @Test
    void theSdkRunsTheElectionThatTheSettingsDescribe() {
        LeaderElectionConfiguration configuration = operator.getConfigurationService().getLeaderElectionConfiguration()
                .orElseThrow();
        assertEquals("modelops-operator", configuration.getLeaseName());
        assertEquals(Optional.of("operator-under-test"), configuration.getIdentity());
        assertEquals(Duration.ofSeconds(2), configuration.getLeaseDuration());
        assertFalse(configuration.isExitOnStopLeading());
    }

    @Test
    void theOperatorHoldsTheLeaseInItsClientsNamespace() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Lease lease = client.resources(Lease.class).inNamespace("default").withName("modelops-operator").get();
            return lease != null && "operator-under-test".equals(lease.getSpec().getHolderIdentity());
        });
    }
}
