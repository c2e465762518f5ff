package dev.modelops.batchprediction;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.BatchPredictionStatus;
import dev.modelops.api.v1alpha1.ConcurrencyPolicy;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Creates;
import dev.modelops.common.EventRecorder;
import dev.modelops.common.Names;
import dev.modelops.lifecycle.JobLifecycle;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Run now: one run for each new value of the {@code modelops.dev/run-now} annotation. */
final class RunNow {

    static final String ANNOTATION = "modelops.dev/run-now";
    /** How a refusal's message starts; it stays in the status message until the next value. */
    static final String REFUSED = "Run now (";

    private RunNow() {
    }

    /**
     * Starts one run for a new value of the annotation, as {@code kubectl create job --from=cronjob/...} does: a Job
     * from the CronJob's template, named after the value, so that the same value never starts a second run, also
     * after a restart. The value is recorded as handled, whatever the outcome. Returns why it was refused, if it was.
     */
    static Optional<String> start(KubernetesClient client, EventRecorder events, BatchPrediction prediction,
            Optional<CronJob> cronJob, List<ModelJob> runs, String value, BatchPredictionStatus status, Instant now) {
        status.setLastRunNow(value);
        if (cronJob.isEmpty() || Boolean.TRUE.equals(cronJob.get().getSpec().getSuspend())
                && !Boolean.TRUE.equals(prediction.getSpec().getSuspend())) {
            String refused = REFUSED + value + ") refused: there is no version to score with";
            events.record(prediction, PredictionReason.RunNowRefused, refused, now);
            return Optional.of(refused);
        }
        List<ModelJob> going = runs.stream().filter(run -> !JobLifecycle.ended(run)).toList();
        ConcurrencyPolicy policy = Optional.ofNullable(prediction.getSpec().getConcurrencyPolicy())
                .orElse(ConcurrencyPolicy.Forbid);
        if (!going.isEmpty() && policy == ConcurrencyPolicy.Forbid) {
            String names = going.stream().map(run -> run.getMetadata().getName()).collect(Collectors.joining(", "));
            String refused = REFUSED + value + ") refused: concurrencyPolicy is Forbid and ModelJob " + names
                    + " is running";
            events.record(prediction, PredictionReason.RunNowRefused, refused, now);
            return Optional.of(refused);
        }
        if (policy == ConcurrencyPolicy.Replace) {
            String stop = client.getKubernetesSerialization().asJson(Map.of("spec", Map.of("stop", true,
                    "reason", "replaced by run now " + shortened(value))));
            going.forEach(run -> {
                client.resources(ModelJob.class).inNamespace(run.getMetadata().getNamespace())
                        .withName(run.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), stop);
                events.record(prediction, PredictionReason.RunReplaced, "Stopped ModelJob "
                        + run.getMetadata().getName() + " to run now (" + value + ")", now);
            });
        }
        CronJob owner = cronJob.get();
        Job job = new JobBuilder()
                .withNewMetadataLike(owner.getSpec().getJobTemplate().getMetadata())
                .withName(jobName(owner.getMetadata().getName(), value))
                .withNamespace(owner.getMetadata().getNamespace())
                .addToAnnotations("cronjob.kubernetes.io/instantiate", "manual")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(owner.getSpec().getJobTemplate().getSpec()).build();
        Creates.ifAbsent(client, job).ifPresent(started -> events.record(prediction, PredictionReason.RunNow,
                "Run now (" + value + "): started Job " + started.getMetadata().getName(), now));
        return Optional.empty();
    }

    /**
     * {@code <cronjob>-now-<value>}: the value as a name can hold it (lowercase letters, digits, '-'), followed by a
     * digest of the value when that changed it, so that two values never name the same Job ("Run 1" and "run-1", or
     * any two values in another script); at most 63 characters, the most a Job's name may have.
     */
    static String jobName(String cronJob, String value) {
        String readable = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String suffix = readable.equals(value) ? readable
                : (readable.isEmpty() ? "" : readable + "-") + Names.digest(value);
        return Names.child(cronJob, "now-" + suffix, Names.LABEL_MAX);
    }

    /** A value as a reason or message quotes it: a ModelJob's reason holds 1024 characters. */
    private static String shortened(String value) {
        if (value.length() <= 200) {
            return value;
        }
        return value.substring(0, Character.isHighSurrogate(value.charAt(199)) ? 199 : 200) + "...";
    }
}
