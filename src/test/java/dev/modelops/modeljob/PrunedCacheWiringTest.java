package dev.modelops.modeljob;

import dev.modelops.cache.PrunedCaches;

import dev.modelops.testing.SandboxResource;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The running operator caches ModelJobs and Jobs in the pruned stores: an annotation attribute that Quarkus could
 * drop at build time without any other test noticing, only the heap at 10,000 ModelJobs.
 */
@QuarkusTest
@QuarkusTestResource(SandboxResource.class)
class PrunedCacheWiringTest {

    @Inject
    Operator operator;

    @Test
    void theModelJobAndJobInformersCacheInThePrunedStores() {
        ControllerConfiguration<?> modelJobs = operator.getRegisteredController("modeljob").orElseThrow()
                .getConfiguration();
        assertInstanceOf(PrunedCaches.ModelJobStore.class, modelJobs.getInformerConfig().getItemStore());

        @SuppressWarnings({"rawtypes", "unchecked"})
        DependentResourceSpec jobs = modelJobs.getWorkflowSpec().orElseThrow().getDependentResourceSpecs().stream()
                .filter(spec -> spec.getDependentResourceClass() == BatchJobDependent.class).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        KubernetesDependentResourceConfig<?> config = (KubernetesDependentResourceConfig<?>) modelJobs
                .getConfigurationFor(jobs);
        assertInstanceOf(PrunedCaches.JobStore.class, config.informerConfig().getItemStore());
    }
}
