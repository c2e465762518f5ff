package dev.modelops.testing;

import dev.modelops.modeljob.BatchJobDependent;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;

import java.util.function.Consumer;

/**
 * A plain JOSDK {@link Operator}, outside Quarkus, configured as the operator's application is, for tests that run
 * several instances or control the clock. Its controllers are registered by the test.
 */
public final class PlainOperators {

    private PlainOperators() {
    }

    public static Operator create(KubernetesClient client, JobSettings settings,
            Consumer<ConfigurationServiceOverrider> more) {
        return new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withDependentResourceFactory(new DependentResourceFactory<>() {
                        @Override
                        public DependentResource createFrom(DependentResourceSpec spec,
                                ControllerConfiguration<?> config) {
                            // Quarkus injects the settings into the dependent; plain JOSDK needs to be told.
                            DependentResource dependent = new BatchJobDependent(settings);
                            configure(dependent, spec, config);
                            return dependent;
                        }

                        @Override
                        public Class<?> associatedResourceType(DependentResourceSpec spec) {
                            return Job.class;
                        }
                    });
            more.accept(overrider);
        });
    }
}
