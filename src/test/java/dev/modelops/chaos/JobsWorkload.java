package dev.modelops.chaos;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compute ModelJobs of every type on one ModelVersion (whose own walk takes them as its history, so its stage depends
 * on which ends last, and is not checked), created in waves (the first at the start, one more after
 * each kill, while no operator runs), most running a few simulated seconds to success, some failing, and some
 * stopped in each phase a job can be in: at creation, while its version is missing, while its pod is pending, while
 * it runs, after it succeeded, and at a random moment that races its end.
 */
final class JobsWorkload implements Workload {

    static final String VERSION = "jobs-v1";
    /** No ModelVersion of this name is ever created. */
    static final String MISSING_VERSION = "jobs-never-created";
    private static final JobType[] TYPES = {JobType.Train, JobType.Evaluate, JobType.Import,
        JobType.ComputeStatistics, JobType.BatchPrediction};

    /** What happens to a job, and when it is stopped. */
    enum Fate { SUCCEEDS, FAILS, STOPPED_AT_CREATION, STOPPED_WITHOUT_VERSION, STOPPED_PENDING, STOPPED_RUNNING,
        STOPPED_AFTER_SUCCESS, STOPPED_RACING }

    /** One job: its fate, how long its container waits and runs, what it writes, and when a racing stop comes. */
    record Plan(String name, JobType type, Fate fate, int wave, long pendingMillis, long durationMillis, String log,
            Map<String, Double> metrics, long stopAfterMillis) {
    }

    private final List<Plan> plans = new ArrayList<>();
    private final Map<String, Long> createdAt = new ConcurrentHashMap<>();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    JobsWorkload(SplittableRandom random, int jobs, int waves) {
        Fate[] fates = Fate.values();
        for (int i = 0; i < jobs; i++) {
            // Every fate in every twenty jobs; the rest succeed.
            Fate fate = i % 20 < fates.length - 1 ? fates[i % 20 + 1] : Fate.SUCCEEDS;
            String name = String.format("job-%04d", i);
            JobType type = TYPES[random.nextInt(TYPES.length)];
            long pending = random.nextLong(0, 1000);
            long duration = random.nextLong(1000, 5000);
            if (fate == Fate.STOPPED_PENDING) {
                pending = 600_000;
            } else if (fate == Fate.STOPPED_RUNNING) {
                duration = 600_000;
            } else if (fate == Fate.STOPPED_RACING) {
                duration = random.nextLong(500, 3000);
            }
            double auc = (50 + random.nextInt(50)) / 100.0;
            String log = "chaos " + type + " " + name + "\nreading the dataset\nauc=" + auc + "\ndone\n";
            plans.add(new Plan(name, type, fate, (int) ((long) i * waves / jobs), pending, duration, log,
                    Map.of("auc", auc, "index", (double) i), random.nextLong(0, 4000)));
        }
    }

    @Override
    public void start(HarnessApi api) {
        api.create(Manifests.read("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: jobs
                  version: "1"
                  source:
                    train:
                      image: ghcr.io/acme/churn-train:1.4.0
                      podAnnotations: %s
                  evaluate:
                    image: ghcr.io/acme/churn-eval:1.4.0
                    podAnnotations: %s
                  approval: {mode: Manual}
                """.formatted(VERSION,
                Manifests.annotations(Manifests.simulated("0s", "1s", 0, "training\n",
                        "{\"artifactUri\":\"s3://chaos/jobs/1/model.onnx\"}")),
                Manifests.annotations(Manifests.simulated("0s", "1s", 0, "evaluating\n",
                        "{\"metrics\":{\"auc\":0.9}}"))), ModelVersion.class));
        createWave(0, api);
    }

    @Override
    public void afterKill(int kill, HarnessApi api) {
        createWave(kill, api);
    }

    private void createWave(int wave, HarnessApi api) {
        plans.stream().filter(plan -> plan.wave() == wave).forEach(plan -> {
            createdAt.put(plan.name(), System.nanoTime());
            api.create(modelJob(plan));
        });
    }

    private static ModelJob modelJob(Plan plan) {
        boolean fails = plan.fate() == Fate.FAILS;
        String result = "{\"metrics\":{\"auc\":" + plan.metrics().get("auc") + ",\"index\":"
                + plan.metrics().get("index") + "}}";
        return Manifests.read("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: %s}
                spec:
                  type: %s
                  modelVersion: %s
                  stop: %s
                  backoffLimit: 0
                  template:
                    image: ghcr.io/acme/chaos:1.0.0
                    podAnnotations: %s
                """.formatted(plan.name(), plan.type(),
                plan.fate() == Fate.STOPPED_WITHOUT_VERSION ? MISSING_VERSION : VERSION,
                plan.fate() == Fate.STOPPED_AT_CREATION,
                Manifests.annotations(Manifests.simulated(Manifests.millis(plan.pendingMillis()),
                        Manifests.millis(plan.durationMillis()), fails ? 3 : 0, plan.log(), fails ? null : result))),
                ModelJob.class);
    }

    @Override
    public void step(Snapshot seen, HarnessApi api) {
        for (Plan plan : plans) {
            if (stopped.contains(plan.name()) || !createdAt.containsKey(plan.name())) {
                continue;
            }
            var job = seen.modelJob(plan.name());
            var status = job.map(ModelJob::getStatus);
            JobPhase phase = status.map(s -> s.getPhase()).orElse(null);
            boolean due = switch (plan.fate()) {
                case STOPPED_WITHOUT_VERSION -> job.flatMap(j -> JobEnd.condition(j, "Started"))
                        .map(c -> "ModelVersionNotFound".equals(c.getReason())).orElse(false);
                case STOPPED_PENDING -> phase == JobPhase.Pending && status.map(s -> s.getJobName()).isPresent();
                case STOPPED_RUNNING -> phase == JobPhase.Running;
                case STOPPED_AFTER_SUCCESS -> phase == JobPhase.Succeeded;
                case STOPPED_RACING -> System.nanoTime() - createdAt.get(plan.name())
                        >= plan.stopAfterMillis() * 1_000_000;
                default -> false;
            };
            if (due) {
                api.mergePatch(job.orElseGet(() -> named(plan.name())),
                        "{\"spec\":{\"stop\":true,\"reason\":\"chaos: stopped " + plan.fate() + "\"}}");
                stopped.add(plan.name());
            }
        }
    }

    private static ModelJob named(String name) {
        ModelJob job = new ModelJob();
        job.getMetadata().setName(name);
        job.getMetadata().setNamespace(ChaosCluster.NAMESPACE);
        return job;
    }

    @Override
    public boolean settled(Snapshot seen) {
        return plans.stream().allMatch(plan -> seen.modelJob(plan.name()).map(job -> switch (plan.fate()) {
            case STOPPED_RACING -> job.getStatus() != null && (job.getStatus().getPhase() == JobPhase.Succeeded
                    || job.getStatus().getPhase() == JobPhase.Cancelled);
            case STOPPED_AFTER_SUCCESS -> stopped.contains(plan.name()) && end(plan).reached(job)
                    && job.getMetadata().getGeneration().equals(job.getStatus().getObservedGeneration());
            default -> end(plan).reached(job);
        }).orElse(false));
    }

    @Override
    public void check(Snapshot end, Launches launches, Defects defects) {
        for (Plan plan : plans) {
            JobEnd expected = end(plan);
            if (plan.fate() == Fate.STOPPED_RACING && end.modelJob(plan.name()).map(job -> job.getStatus() != null
                    && job.getStatus().getPhase() == JobPhase.Cancelled).orElse(false)) {
                expected = JobEnd.cancelled(List.of("Created"), new JobEnd.Logs.Any(), null);
            }
            expected.check(plan.name(), end, launches, defects);
        }

    }

    private static JobEnd end(Plan plan) {
        return switch (plan.fate()) {
            case SUCCEEDS, STOPPED_AFTER_SUCCESS, STOPPED_RACING -> JobEnd.succeeded(plan.metrics(), plan.log());
            case FAILS -> JobEnd.failed("BackoffLimitExceeded", JobEnd.with(JobEnd.RAN, "Failed"),
                    new JobEnd.Logs.Whole(plan.log()), true);
            case STOPPED_AT_CREATION -> JobEnd.cancelled(List.of("Created"), new JobEnd.Logs.Any(), false);
            case STOPPED_WITHOUT_VERSION -> JobEnd.cancelled(List.of("Created", "ModelVersionNotFound"),
                    new JobEnd.Logs.Any(), false);
            case STOPPED_PENDING -> JobEnd.cancelled(List.of("Created"), new JobEnd.Logs.Any(), null);
            case STOPPED_RUNNING -> JobEnd.cancelled(JobEnd.RAN, new JobEnd.Logs.SoFar(plan.log()), true);
        };
    }

    int count() {
        return plans.size();
    }
}
