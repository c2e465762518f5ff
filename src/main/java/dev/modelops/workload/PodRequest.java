package dev.modelops.workload;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;

import java.util.Map;

/**
 * What a pod of the operator runs: a step of a ModelVersion, the template that overrides the version's step
 * (where the template was written, for messages, such as {@code spec.template}), the labels that say whose pod it is,
 * and inputs beyond the version's (for example a BatchPrediction's output URI).
 */
public record PodRequest(JobType type, ModelVersion version, ContainerTemplate override, String overridePath,
        Map<String, String> labels, Map<String, String> extraInputs) {
}
