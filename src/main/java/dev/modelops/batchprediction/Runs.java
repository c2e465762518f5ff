package dev.modelops.batchprediction;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.PredictionRun;
import dev.modelops.common.Creates;
import dev.modelops.common.EventRecorder;
import dev.modelops.common.Labels;
import dev.modelops.common.Owners;
import dev.modelops.lifecycle.JobLifecycle;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs of a BatchPrediction: each Job of its CronJob adopted as a ModelJob, their record in status, and the
 * ended ones beyond the history limits deleted.
 */
final class Runs {

    private Runs() {
    }

    /** The ModelJob that tracks a Job the CronJob (or a person, from the CronJob) started. */
    static Optional<ModelJob> adopt(KubernetesClient client, BatchPrediction prediction, Job job) {
        String version = job.getMetadata().getLabels().get(Labels.MODEL_VERSION);
        if (version == null) {
            return Optional.empty();
        }
        ModelJob run = new ModelJob();
        run.getMetadata().setName(job.getMetadata().getName());
        run.getMetadata().setNamespace(job.getMetadata().getNamespace());
        run.getMetadata().setLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR,
                Labels.MODEL, job.getMetadata().getLabels().getOrDefault(Labels.MODEL, ""),
                Labels.MODEL_VERSION, version, Labels.JOB_TYPE, JobType.BatchPrediction.name(),
                Labels.BATCH_PREDICTION, prediction.getMetadata().getName()));
        run.getMetadata().setAnnotations(Map.of(JobLifecycle.ADOPTED_JOB, job.getMetadata().getUid()));
        run.getMetadata().setOwnerReferences(List.of(Owners.controller(prediction)));
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(JobType.BatchPrediction);
        spec.setModelVersion(version);
        run.setSpec(spec);
        return Creates.ifAbsent(client, run); // empty: adopted by an earlier reconcile the cache does not show yet
    }

    /** Ended runs beyond the history limits are deleted, oldest first, with their logs. */
    static void prune(KubernetesClient client, EventRecorder events, BatchPrediction prediction,
            List<ModelJob> runs, Instant now) {
        int succeeded = Optional.ofNullable(prediction.getSpec().getSuccessfulRunsHistoryLimit()).orElse(10);
        int failed = Optional.ofNullable(prediction.getSpec().getFailedRunsHistoryLimit()).orElse(10);
        List<ModelJob> deleted = new ArrayList<>();
        for (boolean success : new boolean[] {true, false}) {
            List<ModelJob> ended = runs.stream().filter(JobLifecycle::ended)
                    .filter(run -> (run.getStatus().getPhase() == JobPhase.Succeeded) == success)
                    .sorted(Comparator.comparing((ModelJob run) -> run.getMetadata().getCreationTimestamp())
                            .thenComparing(run -> run.getMetadata().getName()))
                    .toList();
            int limit = success ? succeeded : failed;
            deleted.addAll(ended.subList(0, Math.max(0, ended.size() - limit)));
        }
        for (ModelJob run : deleted) {
            client.resources(ModelJob.class).inNamespace(run.getMetadata().getNamespace())
                    .withName(run.getMetadata().getName()).delete();
            events.record(prediction, PredictionReason.RunDeleted, "Deleted ModelJob " + run.getMetadata().getName()
                    + " and its logs: beyond the history limits", now);
            runs.remove(run);
        }
    }

    static PredictionRun record(ModelJob job) {
        PredictionRun run = new PredictionRun();
        run.setModelJob(job.getMetadata().getName());
        run.setModelVersion(job.getSpec().getModelVersion());
        if (job.getStatus() != null) {
            run.setPhase(job.getStatus().getPhase());
            run.setStartTime(job.getStatus().getStartTime());
            run.setCompletionTime(job.getStatus().getCompletionTime());
            run.setResult(job.getStatus().getResult());
        } else {
            run.setPhase(JobPhase.Pending);
        }
        return run;
    }
}
