package dev.modelops.workload;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.DataLocation;
import dev.modelops.api.v1alpha1.ImportSource;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.StepTemplate;

import java.util.Optional;

/** What a ModelVersion says about one of its steps: the container to run and the data it reads. */
public record StepDefaults(Optional<ContainerTemplate> container, Optional<String> datasetUri, Optional<String> artifactUri,
        Optional<ImportSource> importSource) {

    public static StepDefaults of(JobType type, ModelVersion version) {
        ModelVersionSpec spec = version.getSpec();
        Optional<ImportSource> imported = Optional.ofNullable(spec.getSource()).map(s -> s.getImport());
        Optional<String> artifact = type == JobType.Import ? imported.map(ImportSource::getUri)
                : Optional.ofNullable(version.getStatus()).map(s -> s.getArtifactUri())
                        .or(() -> imported.map(ImportSource::getUri));
        Optional<StepTemplate> step = switch (type) {
            case Train -> Optional.ofNullable(spec.getSource()).map(s -> s.getTrain());
            case ComputeStatistics -> Optional.ofNullable(spec.getComputeStatistics());
            case Evaluate -> Optional.ofNullable(spec.getEvaluate());
            default -> Optional.empty();
        };
        Optional<ContainerTemplate> container = type == JobType.Import
                ? imported.map(ImportSource::getTemplate)
                : step.map(ContainerTemplate.class::cast);
        Optional<String> dataset = step.map(StepTemplate::getDataset).map(DataLocation::getUri);
        return new StepDefaults(container, dataset, artifact, imported);
    }
}
