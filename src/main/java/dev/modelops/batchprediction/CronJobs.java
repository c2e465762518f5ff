package dev.modelops.batchprediction;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.BatchPredictionSpec;
import dev.modelops.api.v1alpha1.DataLocation;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.common.Creates;
import dev.modelops.common.Labels;
import dev.modelops.common.Owners;
import dev.modelops.workload.JobSettings;
import dev.modelops.workload.PodRequest;
import dev.modelops.workload.PodTemplates;
import dev.modelops.workload.TemplateRefusal;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CronJob of a BatchPrediction: its schedule, time zone, suspension, concurrency policy, starting deadline and
 * history limits, and a job template whose pod is the one every step of the operator runs, for the version it scores
 * with, plus the input and output locations.
 */
final class CronJobs {

    /** Kubernetes' limit for a CronJob's name: its Jobs add 11 characters. */
    static final int NAME_MAX = 52;
    static final String TEMPLATE_PATH = "spec.template";

    private final JobSettings settings;
    private final PodTemplates pods;

    CronJobs(JobSettings settings) {
        this.settings = settings;
        this.pods = new PodTemplates(settings);
    }

    /** The BatchPrediction's name, which admission keeps to 52 characters for this. */
    static String name(BatchPrediction prediction) {
        return prediction.getMetadata().getName();
    }

    Optional<TemplateRefusal> refusal(BatchPrediction prediction, ModelVersion version) {
        return pods.refusal(request(prediction, version));
    }

    /** What of the runs' pod breaks Pod Security "restricted", if anything; only without a {@link #refusal}. */
    Optional<String> notRestricted(BatchPrediction prediction, ModelVersion version) {
        return pods.notRestricted(request(prediction, version), "CronJob " + name(prediction));
    }

    CronJob build(BatchPrediction prediction, ModelVersion version, boolean suspend) {
        BatchPredictionSpec spec = prediction.getSpec();
        PodRequest request = request(prediction, version);
        return new CronJobBuilder()
                .withNewMetadata().withName(name(prediction)).withNamespace(prediction.getMetadata().getNamespace())
                .withLabels(request.labels()).withOwnerReferences(Owners.controller(prediction)).endMetadata()
                .withNewSpec()
                .withSchedule(spec.getSchedule())
                .withTimeZone(spec.getTimeZone())
                .withSuspend(suspend)
                .withConcurrencyPolicy(Optional.ofNullable(spec.getConcurrencyPolicy()).map(Enum::name).orElse("Forbid"))
                .withStartingDeadlineSeconds(spec.getStartingDeadlineSeconds())
                .withSuccessfulJobsHistoryLimit(spec.getSuccessfulRunsHistoryLimit())
                .withFailedJobsHistoryLimit(spec.getFailedRunsHistoryLimit())
                .withNewJobTemplate()
                .withNewMetadata().withLabels(request.labels()).endMetadata()
                .withNewSpec()
                .withBackoffLimit(Optional.ofNullable(version.getSpec().getBackoffLimit()).orElse(settings.backoffLimit()))
                .withActiveDeadlineSeconds(Optional.ofNullable(version.getSpec().getActiveDeadlineSeconds())
                        .orElse(settings.activeDeadlineSeconds()))
                .withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished())
                .withTemplate(pods.build(request))
                .endSpec().endJobTemplate()
                .endSpec().build();
    }

    private static PodRequest request(BatchPrediction prediction, ModelVersion version) {
        BatchPredictionSpec spec = prediction.getSpec();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
        labels.put(Labels.MODEL, version.getSpec().getModel());
        labels.put(Labels.MODEL_VERSION, version.getMetadata().getName());
        labels.put(Labels.JOB_TYPE, JobType.BatchPrediction.name());
        labels.put(Labels.BATCH_PREDICTION, prediction.getMetadata().getName());
        Map<String, String> inputs = new LinkedHashMap<>();
        Optional.ofNullable(spec.getInput()).map(DataLocation::getUri).ifPresent(uri -> inputs.put("MODELOPS_DATASET_URI", uri));
        Optional.ofNullable(spec.getOutput()).map(DataLocation::getUri).ifPresent(uri -> inputs.put("MODELOPS_OUTPUT_URI", uri));
        return new PodRequest(JobType.BatchPrediction, version, spec.getTemplate(), TEMPLATE_PATH, labels, inputs);
    }

    private static final String SPEC_HASH = "modelops.dev/spec-hash";
    /** The CronJob's generation once the operator's last write of its spec is stored. */
    private static final String WRITTEN_GENERATION = "modelops.dev/written-generation";

    /**
     * The CronJob after {@link #apply}: the BatchPrediction's, and whether it undid a change that someone else made to
     * it, and whether apply wrote it; or none, when a CronJob of its name belongs to another object.
     */
    record Applied(Optional<CronJob> cronJob, boolean restored, Optional<String> nameTaken, boolean written) {
    }

    /**
     * Creates the CronJob, or updates it when what it should run changed, or when someone else changed its spec (kubectl
     * edit): its generation is then past the one the operator's last write left, which the CronJob carries in an
     * annotation. A change made by the API server as it stored the operator's write (defaults, a mutating webhook)
     * is part of that write's generation, so the two never take turns. A run already going keeps its Job. A CronJob of
     * the name that the cache does not show as the BatchPrediction's is read: its own that lost its labels is written
     * back; another object's is left alone.
     */
    static Applied apply(KubernetesClient client, BatchPrediction prediction, CronJob desired,
            Optional<CronJob> existing) {
        String hash = Integer.toHexString(client.getKubernetesSerialization().asJson(desired.getSpec()).hashCode());
        if (existing.isEmpty()) {
            desired.getMetadata().setAnnotations(Map.of(SPEC_HASH, hash, WRITTEN_GENERATION, "1"));
            Optional<CronJob> created = Creates.ifAbsent(client, desired);
            if (created.isPresent()) {
                return new Applied(created, false, Optional.empty(), true);
            }
            CronJob named = client.resource(desired).get();
            if (named == null) {
                // deleted meanwhile: the next reconcile
                return new Applied(Optional.empty(), false, Optional.empty(), false);
            }
            if (!Owners.ownedBy(named, prediction)) {
                return new Applied(Optional.empty(), false, Optional.of("a CronJob named " + name(prediction)
                        + " exists and does not belong to this BatchPrediction; delete it (kubectl delete cronjob "
                        + name(prediction) + ") and the BatchPrediction creates its own"), false);
            }
            if (named.getMetadata().getLabels() != null
                    && named.getMetadata().getLabels().containsKey(Labels.BATCH_PREDICTION)) {
                return new Applied(Optional.of(named), false, Optional.empty(), false); // the cache has not seen it yet
            }
            return new Applied(Optional.of(update(client, desired, hash, named)), true, Optional.empty(), true);
        }
        CronJob live = existing.get();
        var annotations = Optional.ofNullable(live.getMetadata().getAnnotations()).orElse(Map.of());
        boolean editedByHand = Optional.ofNullable(annotations.get(WRITTEN_GENERATION)).map(Long::valueOf)
                .map(written -> generation(live) > written).orElse(false);
        if (hash.equals(annotations.get(SPEC_HASH)) && !editedByHand) {
            return new Applied(existing, false, Optional.empty(), false);
        }
        return new Applied(Optional.of(update(client, desired, hash, live)), editedByHand, Optional.empty(), true);
    }

    private static CronJob update(KubernetesClient client, CronJob desired, String hash, CronJob live) {
        desired.getMetadata().setAnnotations(Map.of(SPEC_HASH, hash, WRITTEN_GENERATION,
                Long.toString(generation(live) + 1)));
        desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        return client.resource(desired).update();
    }

    private static long generation(CronJob cronJob) {
        return Optional.ofNullable(cronJob.getMetadata().getGeneration()).orElse(0L);
    }
}
