package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.ImportSource;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.Labels;
import dev.modelops.common.Owners;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The batch/v1 Job of a compute ModelJob: the ModelJob's template over the defaults its ModelVersion gives for the
 * step over the operator's settings. Same name as the ModelJob, which controls it.
 */
final class BatchJobFactory {

    static final String CONTAINER = "main";

    private final JobSettings settings;

    BatchJobFactory(JobSettings settings) {
        this.settings = settings;
    }

    /** The image the job would run, or empty when nothing gives one. */
    Optional<String> image(ModelJob job, ModelVersion version) {
        return image(job, StepDefaults.of(job.getSpec().getType(), version));
    }

    private Optional<String> image(ModelJob job, StepDefaults step) {
        return first(ContainerTemplate::getImage, job.getSpec().getTemplate(), step.container().orElse(null))
                .or(settings::runnerImage);
    }

    Job build(ModelJob job, ModelVersion version) {
        ModelJobSpec spec = job.getSpec();
        StepDefaults step = StepDefaults.of(spec.getType(), version);
        ContainerTemplate override = spec.getTemplate();
        ContainerTemplate defaults = step.container().orElse(null);
        Map<String, String> labels = labels(job, version);
        Map<String, String> podLabels = merged(ContainerTemplate::getPodLabels, defaults, override);
        podLabels.putAll(labels);

        return new JobBuilder()
                .withNewMetadata().withName(job.getMetadata().getName()).withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels).withOwnerReferences(Owners.controller(job)).endMetadata()
                .withNewSpec()
                .withBackoffLimit(first(spec.getBackoffLimit(), version.getSpec().getBackoffLimit(),
                        settings.backoffLimit()))
                .withActiveDeadlineSeconds(first(spec.getActiveDeadlineSeconds(),
                        version.getSpec().getActiveDeadlineSeconds(), settings.activeDeadlineSeconds()))
                .withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished())
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels)
                .withAnnotations(merged(ContainerTemplate::getPodAnnotations, defaults, override)).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(first(ContainerTemplate::getServiceAccountName, override, defaults).orElse(null))
                .withNewSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(job, version, step, defaults, override))
                .endSpec().endTemplate().endSpec().build();
    }

    private Container container(ModelJob job, ModelVersion version, StepDefaults step, ContainerTemplate defaults,
            ContainerTemplate override) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image(job, step).orElseThrow())
                .withCommand(first(ContainerTemplate::getCommand, override, defaults).orElse(null))
                .withArgs(first(ContainerTemplate::getArgs, override, defaults).orElse(null))
                .withEnv(env(job, version, step, defaults, override))
                .withResources(first(ContainerTemplate::getResources, override, defaults).orElse(null))
                .withSecurityContext(first(ContainerTemplate::getSecurityContext, override, defaults)
                        .orElseGet(BatchJobFactory::restricted))
                .withTerminationMessagePath("/dev/termination-log")
                .withTerminationMessagePolicy("File")
                .build();
    }

    /** The user's variables, then the operator's inputs, which win: they say what the job works on. */
    private static List<EnvVar> env(ModelJob job, ModelVersion version, StepDefaults step, ContainerTemplate defaults,
            ContainerTemplate override) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        Stream.of(defaults, override).filter(Objects::nonNull).map(ContainerTemplate::getEnv).filter(Objects::nonNull)
                .flatMap(List::stream).forEach(variable -> env.put(variable.getName(), variable));
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("MODELOPS_MODEL", version.getSpec().getModel());
        inputs.put("MODELOPS_MODEL_VERSION", version.getMetadata().getName());
        inputs.put("MODELOPS_JOB_TYPE", job.getSpec().getType().name());
        step.artifactUri().ifPresent(uri -> inputs.put("MODELOPS_ARTIFACT_URI", uri));
        step.importSource().map(ImportSource::getFormat)
                .ifPresent(format -> inputs.put("MODELOPS_MODEL_FORMAT", format.name()));
        step.importSource().map(ImportSource::getSha256)
                .ifPresent(sha256 -> inputs.put("MODELOPS_ARTIFACT_SHA256", sha256));
        step.datasetUri().ifPresent(uri -> inputs.put("MODELOPS_DATASET_URI", uri));
        inputs.forEach((name, value) -> {
            env.remove(name);
            env.put(name, new EnvVar(name, value, null));
        });
        return new ArrayList<>(env.values());
    }

    static Map<String, String> labels(ModelJob job, ModelVersion version) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
        labels.put(Labels.MODEL, version.getSpec().getModel());
        labels.put(Labels.MODEL_VERSION, version.getMetadata().getName());
        labels.put(Labels.JOB_TYPE, job.getSpec().getType().name());
        labels.put(Labels.MODEL_JOB, job.getMetadata().getName());
        return labels;
    }

    /** Pod Security Standard "restricted". */
    private static SecurityContext restricted() {
        return new SecurityContextBuilder().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    private static Map<String, String> merged(Function<ContainerTemplate, Map<String, String>> field,
            ContainerTemplate... layers) {
        Map<String, String> merged = new LinkedHashMap<>();
        Stream.of(layers).filter(Objects::nonNull).map(field).filter(Objects::nonNull).forEach(merged::putAll);
        return merged;
    }

    private static <T> Optional<T> first(Function<ContainerTemplate, T> field, ContainerTemplate... layers) {
        return Stream.of(layers).filter(Objects::nonNull).map(field).filter(Objects::nonNull).findFirst();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        return Stream.of(values).filter(Objects::nonNull).findFirst().orElseThrow();
    }
}
