package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.Owners;
import dev.modelops.workload.JobSettings;
import dev.modelops.workload.PodRequest;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The batch/v1 Job of a compute ModelJob: the pod that {@link PodTemplates} builds for the step, with the retries,
 * time limit and lifetime that the ModelJob, its ModelVersion or the operator's settings give. Same name as the
 * ModelJob, which controls it.
 */
final class BatchJobSpec {

    private final JobSettings settings;
    private final PodTemplates pods;

    BatchJobSpec(JobSettings settings) {
        this.settings = settings;
        this.pods = new PodTemplates(settings);
    }

    static PodRequest podRequest(ModelJob modelJob, ModelVersion version) {
        var type = modelJob.getSpec().getType();
        return new PodRequest(type, version, modelJob.getSpec().getTemplate(), "spec.template",
                PodTemplates.labels(modelJob.getMetadata().getName(), type, version), Map.of());
    }

    Job build(ModelJob modelJob, ModelVersion version) {
        ModelJobSpec spec = modelJob.getSpec();
        PodRequest request = podRequest(modelJob, version);
        return new JobBuilder()
                .withNewMetadata().withName(modelJob.getMetadata().getName())
                .withNamespace(modelJob.getMetadata().getNamespace())
                .withLabels(request.labels()).withOwnerReferences(Owners.controller(modelJob)).endMetadata()
                .withNewSpec()
                .withBackoffLimit(first(spec.getBackoffLimit(), version.getSpec().getBackoffLimit(),
                        settings.backoffLimit()))
                .withActiveDeadlineSeconds(first(spec.getActiveDeadlineSeconds(),
                        version.getSpec().getActiveDeadlineSeconds(), settings.activeDeadlineSeconds()))
                .withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished())
                .withTemplate(pods.build(request))
                .endSpec().build();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        return Stream.of(values).filter(Objects::nonNull).findFirst().orElseThrow();
    }
}
