package dev.modelops.workload;

import dev.modelops.api.v1alpha1.ContainerTemplate;
import dev.modelops.api.v1alpha1.ImportSource;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The pod that runs a step: the request's template over the defaults its ModelVersion gives for the step over the
 * operator's settings, in the restricted security context that the template may refine up to the operator's pod
 * security level, with the {@code modelops.dev} labels and the {@code MODELOPS_*} inputs. A ModelJob's Job and a
 * BatchPrediction's CronJob both run this pod.
 */
public final class PodTemplates {

    /** The one container of the operator's pods; its log and termination message are the job's. */
    public static final String CONTAINER = "main";
    public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    public static final String ARTIFACT_STORE = "MODELOPS_ARTIFACT_STORE";

    /** Where the one container's security context and the pod's annotations are in the pod the checks see. */
    private static final String CONTAINER_CONTEXT = "spec.containers[0].securityContext";
    private static final String ANNOTATIONS = "metadata.annotations[";

    private final JobSettings settings;

    public PodTemplates(JobSettings settings) {
        this.settings = settings;
    }

    /** Why the request cannot become a pod, if it cannot; checked before anything is created. */
    public Optional<TemplateRefusal> refusal(PodRequest request) {
        Layers layers = Layers.of(request);
        if (image(layers).isEmpty()) {
            return Optional.of(new TemplateRefusal(TemplateRefusal.Problem.NoImage, "no image for the "
                    + request.type() + " step: set " + request.overridePath() + ".image, the image of the "
                    + "ModelVersion's step, or the operator's setting modelops.jobs.runner-image"));
        }
        Optional<String> account = layers.first(ContainerTemplate::getServiceAccountName);
        List<String> allowed = settings.serviceAccounts().orElse(List.of());
        if (account.isPresent() && !allowed.contains(account.get())) {
            return Optional.of(new TemplateRefusal(TemplateRefusal.Problem.ServiceAccountNotAllowed,
                    layers.pathOf(ContainerTemplate::getServiceAccountName) + ".serviceAccountName: " + account.get()
                            + " is not allowed: the operator's setting modelops.jobs.service-accounts allows "
                            + (allowed.isEmpty() ? "none" : String.join(", ", allowed))));
        }
        List<String> beyond = layers.fields(PodSecurityStandard.beyond(build(request), settings.podSecurity()));
        if (!beyond.isEmpty()) {
            return Optional.of(new TemplateRefusal(TemplateRefusal.Problem.PodSecurityExceeded,
                    String.join(", ", beyond) + (beyond.size() == 1 ? " is" : " are") + " beyond the Pod Security level "
                            + settings.podSecurity() + " that the operator's setting modelops.jobs.pod-security allows"));
        }
        return Optional.empty();
    }

    /**
     * What of the request's pod breaks Pod Security "restricted", named as the fields of the templates that set it;
     * empty for a restricted pod. Such a pod runs when the operator's level allows it, and its owner says so in a
     * Warning Event. Only for a request without a {@link #refusal}.
     *
     * @param workload what runs the pods, for the message, such as {@code Job churn-v3-train-1}
     */
    public Optional<String> notRestricted(PodRequest request, String workload) {
        List<String> fields = Layers.of(request)
                .fields(PodSecurityStandard.beyond(build(request), PodSecurityLevel.restricted));
        return fields.isEmpty() ? Optional.empty() : Optional.of("The pods of " + workload
                + " do not meet Pod Security \"restricted\": " + String.join(", ", fields) + " (allowed up to "
                + settings.podSecurity() + " by the operator's setting modelops.jobs.pod-security)");
    }

    /** The pod; only for a request without a {@link #refusal}. */
    public PodTemplateSpec build(PodRequest request) {
        Layers layers = Layers.of(request);
        Map<String, String> podLabels = layers.merged(ContainerTemplate::getPodLabels);
        podLabels.putAll(request.labels());
        Optional<String> account = layers.first(ContainerTemplate::getServiceAccountName);
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(podLabels)
                .withAnnotations(layers.merged(ContainerTemplate::getPodAnnotations)).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(account.orElse(null))
                // Pods that name no account need no API token; the namespace's default account gets none.
                .withAutomountServiceAccountToken(account.isPresent() ? null : false)
                .withNewSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(request, layers))
                .endSpec().build();
    }

    /** The labels that say which model, version, job type and ModelJob a pod or Job belongs to. */
    public static Map<String, String> labels(String modelJob, JobType type, ModelVersion version) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
        labels.put(Labels.MODEL, version.getSpec().getModel());
        labels.put(Labels.MODEL_VERSION, version.getMetadata().getName());
        labels.put(Labels.JOB_TYPE, type.name());
        labels.put(Labels.MODEL_JOB, modelJob);
        return labels;
    }

    private Optional<String> image(Layers layers) {
        return layers.first(ContainerTemplate::getImage).or(settings::runnerImage);
    }

    private static SecurityContext securityContext(Layers layers) {
        return SecurityContexts.refine(layers.first(ContainerTemplate::getSecurityContext).orElse(null));
    }

    private Container container(PodRequest request, Layers layers) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image(layers).orElseThrow())
                .withCommand(layers.first(ContainerTemplate::getCommand).orElse(null))
                .withArgs(layers.first(ContainerTemplate::getArgs).orElse(null))
                .withEnv(env(request, layers))
                .withResources(layers.first(ContainerTemplate::getResources).orElse(null))
                .withSecurityContext(securityContext(layers))
                .withTerminationMessagePath(TERMINATION_MESSAGE_PATH)
                .withTerminationMessagePolicy("File")
                .build();
    }

    /**
     * The operator's defaults (the artifact store), then the user's variables, then the operator's inputs, which win:
     * they say what the job works on.
     */
    private List<EnvVar> env(PodRequest request, Layers layers) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        settings.artifactStore().ifPresent(store -> env.put(ARTIFACT_STORE, new EnvVar(ARTIFACT_STORE, store, null)));
        layers.each().map(ContainerTemplate::getEnv).filter(Objects::nonNull).flatMap(List::stream)
                .forEach(variable -> env.put(variable.getName(), variable));
        StepDefaults step = layers.step();
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("MODELOPS_MODEL", request.version().getSpec().getModel());
        inputs.put("MODELOPS_MODEL_VERSION", request.version().getMetadata().getName());
        inputs.put("MODELOPS_JOB_TYPE", request.type().name());
        step.artifactUri().ifPresent(uri -> inputs.put("MODELOPS_ARTIFACT_URI", uri));
        step.importSource().map(ImportSource::getFormat)
                .ifPresent(format -> inputs.put("MODELOPS_MODEL_FORMAT", format.name()));
        step.importSource().map(ImportSource::getSha256)
                .ifPresent(sha256 -> inputs.put("MODELOPS_ARTIFACT_SHA256", sha256));
        step.datasetUri().ifPresent(uri -> inputs.put("MODELOPS_DATASET_URI", uri));
        if (request.type() == JobType.Evaluate) {
            statistics(request.version()).forEach(inputs::put);
        }
        inputs.putAll(request.extraInputs());
        inputs.forEach((name, value) -> {
            env.remove(name);
            env.put(name, new EnvVar(name, value, null));
        });
        return new ArrayList<>(env.values());
    }

    /**
     * The statistics that ComputeStatistics recorded on the version, for Evaluate to measure drift against: inline
     * as JSON, and the full report's location when the statistics name one ({@code uri}).
     */
    private static Map<String, String> statistics(ModelVersion version) {
        Map<String, String> inputs = new LinkedHashMap<>();
        Optional.ofNullable(version.getStatus()).map(status -> status.getStatistics()).filter(s -> !s.isNull())
                .ifPresent(statistics -> {
                    inputs.put("MODELOPS_STATISTICS", statistics.toString());
                    if (statistics.path("uri").isTextual()) {
                        inputs.put("MODELOPS_STATISTICS_URI", statistics.get("uri").asText());
                    }
                });
        return inputs;
    }

    /** The request's template over the version's step: the first layer that sets a field gives it. */
    private record Layers(PodRequest request, StepDefaults step, ContainerTemplate override, ContainerTemplate defaults) {

        static Layers of(PodRequest request) {
            StepDefaults step = StepDefaults.of(request.type(), request.version());
            return new Layers(request, step, request.override(), step.container().orElse(null));
        }

        Stream<ContainerTemplate> each() {
            return Stream.of(defaults, override).filter(Objects::nonNull);
        }

        <T> Optional<T> first(Function<ContainerTemplate, T> field) {
            return Stream.of(override, defaults).filter(Objects::nonNull).map(field).filter(Objects::nonNull)
                    .findFirst();
        }

        /** Where the field that {@link #first} reads was written, for messages. */
        String pathOf(Function<ContainerTemplate, ?> field) {
            return override != null && field.apply(override) != null ? request.overridePath()
                    : "ModelVersion " + request.version().getMetadata().getName() + " " + stepPath();
        }

        /** Where the version gives the step's container. */
        private String stepPath() {
            return switch (request.type()) {
                case Train -> "spec.source.train";
                case Import -> "spec.source.import.template";
                case ComputeStatistics -> "spec.computeStatistics";
                case Evaluate -> "spec.evaluate";
                default -> "spec";
            };
        }

        /**
         * The pod's fields as the templates name them: the container's security context and the pod's annotations
         * come from the template that sets them; the rest of the pod is the operator's.
         */
        List<String> fields(List<PodSecurityStandard.Violation> violations) {
            return violations.stream().map(violation -> {
                String field = violation.field();
                if (field.startsWith(CONTAINER_CONTEXT)) {
                    field = pathOf(ContainerTemplate::getSecurityContext) + ".securityContext"
                            + field.substring(CONTAINER_CONTEXT.length());
                } else if (field.startsWith(ANNOTATIONS)) {
                    String key = field.substring(ANNOTATIONS.length(), field.length() - 1);
                    field = pathOf(template -> template.getPodAnnotations() == null ? null
                            : template.getPodAnnotations().get(key)) + ".podAnnotations[" + key + "]";
                }
                return field + ": " + violation.value();
            }).toList();
        }

        Map<String, String> merged(Function<ContainerTemplate, Map<String, String>> field) {
            Map<String, String> merged = new LinkedHashMap<>();
            each().map(field).filter(Objects::nonNull).forEach(merged::putAll);
            return merged;
        }
    }
}
