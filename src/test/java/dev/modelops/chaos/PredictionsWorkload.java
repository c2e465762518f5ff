package dev.modelops.chaos;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A BatchPrediction per model that follows its champion, scheduled once a year so that only run now starts runs:
 * one run now once the first version is the champion, and one once the last is. Each value of the annotation must
 * start exactly one run, a ModelJob that succeeds with its result and logs.
 */
final class PredictionsWorkload implements Workload {

    private static final String RESULT = "{\"metrics\":{\"rowsScored\":1000}}";

    /** A value of the run-now annotation: fired once its version is the champion its BatchPrediction scores with. */
    record RunNow(String prediction, String value, String version) {
    }

    private final List<VersionsWorkload.Model> models;
    private final List<RunNow> runNows = new ArrayList<>();
    private final Set<RunNow> fired = ConcurrentHashMap.newKeySet();

    PredictionsWorkload(List<VersionsWorkload.Model> models) {
        this.models = models;
        for (VersionsWorkload.Model model : models) {
            runNows.add(new RunNow(name(model), "first", model.version(VersionsWorkload.Part.FIRST)));
            runNows.add(new RunNow(name(model), "last", model.version(VersionsWorkload.Part.MANUAL)));
        }
    }

    private static String name(VersionsWorkload.Model model) {
        return model.name() + "-scoring";
    }

    private static String log(String prediction) {
        return "scoring for " + prediction + "\n";
    }

    @Override
    public void start(HarnessApi api) {
        for (VersionsWorkload.Model model : models) {
            api.create(Manifests.read("""
                    apiVersion: modelops.dev/v1alpha1
                    kind: BatchPrediction
                    metadata: {name: %s}
                    spec:
                      model: %s
                      schedule: "0 0 1 1 *"
                      concurrencyPolicy: Allow
                      successfulRunsHistoryLimit: 50
                      failedRunsHistoryLimit: 50
                      input: {uri: s3://datasets/%s/latest.csv}
                      output: {uri: s3://predictions/%s/}
                      template:
                        image: ghcr.io/acme/%s-score:1.0.0
                        podAnnotations: %s
                    """.formatted(name(model), model.name(), model.name(), model.name(), model.name(),
                    Manifests.annotations(Manifests.simulated("100ms", "1s", 0, log(name(model)), RESULT))),
                    BatchPrediction.class));
        }
    }

    @Override
    public void step(Snapshot seen, HarnessApi api) {
        for (RunNow runNow : runNows) {
            if (fired.contains(runNow)) {
                continue;
            }
            Optional<BatchPrediction> prediction = seen.prediction(runNow.prediction());
            boolean scoresWithIt = prediction.map(bp -> bp.getStatus() != null
                    && runNow.version().equals(bp.getStatus().getModelVersion())
                    && bp.getStatus().getConditions() != null && bp.getStatus().getConditions().stream()
                            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().name().equals("True")))
                    .orElse(false);
            if (scoresWithIt && VersionsWorkload.champion(seen, runNow.version())) {
                api.mergePatch(prediction.get(), "{\"metadata\":{\"annotations\":{\"modelops.dev/run-now\":"
                        + Manifests.json(runNow.value()) + "}}}");
                fired.add(runNow);
            }
        }
    }

    @Override
    public boolean settled(Snapshot seen) {
        return runNows.stream().allMatch(runNow -> fired.contains(runNow)
                && runs(seen, runNow).stream().anyMatch(run -> run.getStatus() != null
                        && run.getStatus().getPhase() == JobPhase.Succeeded));
    }

    private static List<ModelJob> runs(Snapshot seen, RunNow runNow) {
        return seen.modelJobs().values().stream()
                .filter(job -> job.getMetadata().getLabels() != null
                        && runNow.prediction().equals(job.getMetadata().getLabels().get(Labels.BATCH_PREDICTION)))
                .filter(job -> job.getMetadata().getName().endsWith("-now-" + runNow.value())).toList();
    }

    @Override
    public void check(Snapshot end, Launches launches, Defects defects) {
        for (RunNow runNow : runNows) {
            String subject = "BatchPrediction " + runNow.prediction() + " run now " + runNow.value();
            if (!fired.contains(runNow)) {
                defects.lost(subject, "was never fired: " + runNow.version() + " never became the champion it"
                        + " scores with");
                continue;
            }
            List<ModelJob> runs = runs(end, runNow);
            if (runs.size() > 1) {
                defects.duplicate(subject, "ran " + runs.size() + " times: "
                        + runs.stream().map(run -> run.getMetadata().getName()).toList());
            } else if (runs.isEmpty()) {
                String why = end.prediction(runNow.prediction()).map(bp -> bp.getStatus() == null ? "no status"
                        : bp.getStatus().getMessage()).orElse("the BatchPrediction is gone");
                defects.lost(subject, "did not run: " + why);
            } else {
                // Its Job is the CronJob's, adopted: the run launched none of its own.
                new JobEnd(JobPhase.Succeeded, "Succeeded", List.of("JobCreated", "PodScheduled", "Started", "Succeeded"),
                        Map.of("rowsScored", 1000.0), new JobEnd.Logs.Whole(log(runNow.prediction())), null)
                        .check(runs.get(0).getMetadata().getName(), end, launches, defects);
            }
        }
        for (VersionsWorkload.Model model : models) {
            String champion = model.version(VersionsWorkload.Part.MANUAL);
            Optional<BatchPrediction> prediction = end.prediction(name(model));
            boolean ready = prediction.map(bp -> bp.getStatus() != null && champion.equals(bp.getStatus()
                    .getModelVersion()) && bp.getStatus().getConditions().stream()
                            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().name().equals("True")))
                    .orElse(false);
            if (!ready) {
                defects.lost("BatchPrediction " + name(model), "does not score with " + champion + ": "
                        + prediction.map(bp -> bp.getStatus() == null ? "no status" : bp.getStatus().getModelVersion()
                                + ", " + bp.getStatus().getMessage()).orElse("gone"));
            }
        }
    }
}
