package dev.modelops.chaos;

import dev.modelops.api.v1alpha1.Decision;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.lifecycle.ChampionRecord;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ModelVersions walking their lifecycle, four per model, half of the models imported (Import, ComputeStatistics,
 * Evaluate), half trained (Train, Evaluate): v1 is approved by its gates and deployed; v2, created once v1 is the
 * champion, beats it and displaces it; v3, created with v2, fails its gates and is rejected; v4 waits for a manual
 * decision, which the run takes with an Approve ModelJob, and is deployed by a Deploy ModelJob once v2 is the
 * champion, displacing it. At the end each model has exactly one champion, v4, and v1 and v2 are retired.
 */
final class VersionsWorkload implements Workload {

    private static final String DIGEST = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
    private static final List<String> GATES = List.of("metrics.auc >= 0.85",
            "!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01");

    /** A version's part in its model's story, and where it ends. */
    enum Part {
        FIRST(0.90, Stage.Retired), BETTER(0.93, Stage.Retired), WORSE(0.80, Stage.Rejected),
        MANUAL(0.91, Stage.Deployed);

        final double auc;
        final Stage end;

        Part(double auc, Stage end) {
            this.auc = auc;
            this.end = end;
        }
    }

    record Model(String name, boolean imported, long stepMillis) {

        String version(Part part) {
            return name + "-v" + (part.ordinal() + 1);
        }

        String approval() {
            return version(Part.MANUAL) + "-approve";
        }

        String deploy() {
            return version(Part.MANUAL) + "-deploy";
        }
    }

    private final List<Model> models = new ArrayList<>();
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    VersionsWorkload(SplittableRandom random, int count) {
        for (int i = 0; i < count; i++) {
            models.add(new Model(String.format("model-%02d", i), i % 2 == 0, random.nextLong(300, 1500)));
        }
    }

    List<Model> models() {
        return models;
    }

    @Override
    public void start(HarnessApi api) {
        for (Model model : models) {
            create(api, model, Part.FIRST);
            create(api, model, Part.MANUAL);
        }
    }

    private void create(HarnessApi api, Model model, Part part) {
        String name = model.version(part);
        if (created.add(name)) {
            api.create(version(model, part));
        }
    }

    private static ModelVersion version(Model model, Part part) {
        String name = model.version(part);
        String step = Manifests.millis(model.stepMillis());
        String source = model.imported() ? """
                    import:
                      uri: https://models.example.com/%s/model.onnx
                      format: ONNX
                      sha256: %s
                      template:
                        image: ghcr.io/modelops-dev/modelops-runner:0.1.0
                        podAnnotations: %s
                  computeStatistics:
                    image: ghcr.io/modelops-dev/modelops-runner:0.1.0
                    dataset: {uri: s3://datasets/%s/reference.parquet}
                    podAnnotations: %s
                """.formatted(name, DIGEST, Manifests.annotations(Manifests.simulated("100ms", step, 0,
                        log(JobType.Import, name), "{\"artifactUri\":\"s3://models/" + name
                                + "/model.onnx\",\"artifactDigest\":\"" + DIGEST + "\"}")),
                model.name(), Manifests.annotations(Manifests.simulated("100ms", step, 0,
                        log(JobType.ComputeStatistics, name), "{\"statistics\":{\"rows\":1000}}")))
                : """
                    train:
                      image: ghcr.io/acme/%s-train:1.0.0
                      dataset: {uri: s3://datasets/%s/train.csv}
                      podAnnotations: %s
                """.formatted(model.name(), model.name(), Manifests.annotations(Manifests.simulated("100ms", step,
                        0, log(JobType.Train, name), "{\"artifactUri\":\"s3://models/" + name + "/model.onnx\"}")));
        String approval = part == Part.MANUAL ? "{mode: Manual}"
                : "{mode: Automatic, gates: " + GATES.stream().map(Manifests::json).toList() + "}";
        return Manifests.read("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata: {name: %s}
                spec:
                  model: %s
                  version: "%d"
                  source:
                %s  evaluate:
                    image: ghcr.io/acme/%s-eval:1.0.0
                    dataset: {uri: s3://datasets/%s/holdout.csv}
                    podAnnotations: %s
                  approval: %s
                  deploy: {mode: Batch, automatic: %s}
                """.formatted(name, model.name(), part.ordinal() + 1, source, model.name(), model.name(),
                Manifests.annotations(Manifests.simulated("100ms", step, 0, log(JobType.Evaluate, name),
                        "{\"metrics\":{\"auc\":" + part.auc + "}}")),
                approval, part != Part.MANUAL), ModelVersion.class);
    }

    @Override
    public void step(Snapshot seen, HarnessApi api) {
        for (Model model : models) {
            if (champion(seen, model.version(Part.FIRST)) || created.contains(model.version(Part.BETTER))) {
                create(api, model, Part.BETTER);
                create(api, model, Part.WORSE);
            }
            String manual = model.version(Part.MANUAL);
            if (stage(seen, manual) == Stage.AwaitingApproval && created.add(model.approval())) {
                api.create(request(model.approval(), JobType.Approve, manual, "chaos: approved by hand"));
            }
            if (stage(seen, manual) == Stage.Approved && champion(seen, model.version(Part.BETTER))
                    && created.add(model.deploy())) {
                api.create(request(model.deploy(), JobType.Deploy, manual, null));
            }
        }
    }

    private static ModelJob request(String name, JobType type, String version, String reason) {
        return Manifests.read("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelJob
                metadata: {name: %s}
                spec: {type: %s, modelVersion: %s%s}
                """.formatted(name, type, version, reason == null ? "" : ", reason: " + Manifests.json(reason)),
                ModelJob.class);
    }

    static Stage stage(Snapshot seen, String version) {
        return seen.version(version).map(v -> v.getStatus() == null ? null : v.getStatus().getStage()).orElse(null);
    }

    static boolean champion(Snapshot seen, String version) {
        return seen.version(version).map(v -> v.getStatus() != null && v.getStatus().getStage() == Stage.Deployed
                && Boolean.TRUE.equals(v.getStatus().getChampion())).orElse(false);
    }

    @Override
    public boolean settled(Snapshot seen) {
        return models.stream().allMatch(model -> List.of(Part.values()).stream().allMatch(part ->
                stage(seen, model.version(part)) == part.end
                        && seen.version(model.version(part)).map(v -> v.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().name().equals("True")))
                                .orElse(false)));
    }

    @Override
    public void check(Snapshot end, Launches launches, Defects defects) {
        for (Model model : models) {
            for (Part part : Part.values()) {
                checkVersion(model, part, end, launches, defects);
            }
            List<String> champions = List.of(Part.values()).stream().map(model::version)
                    .filter(name -> end.version(name).map(v -> v.getStatus() != null
                            && Boolean.TRUE.equals(v.getStatus().getChampion())).orElse(false)).toList();
            if (!champions.equals(List.of(model.version(Part.MANUAL)))) {
                defects.lost("model " + model.name(), "its champions are " + champions + ", expected exactly "
                        + model.version(Part.MANUAL));
            }
            Optional<ChampionRecord> record = end.configMap(ChampionRecord.configMapName(model.name()))
                    .map(ChampionRecord::of);
            if (record.isEmpty() || !record.get().names(model.version(Part.MANUAL)) || record.get().hasSuccessor()) {
                defects.lost("model " + model.name(), "its champion record is " + record.orElse(null)
                        + ", expected champion " + model.version(Part.MANUAL) + " and no successor");
            }
            JobEnd accepted = new JobEnd(JobPhase.Succeeded, null, List.of("Created", "Accepted", "Succeeded"),
                    null, new JobEnd.Logs.Any(), false);
            accepted.check(model.approval(), end, launches, defects);
            accepted.check(model.deploy(), end, launches, defects);
        }
    }

    /** Its stage, champion flag and decision, and each step taken exactly once by one ModelJob that succeeded. */
    private void checkVersion(Model model, Part part, Snapshot end, Launches launches, Defects defects) {
        String name = model.version(part);
        String subject = "ModelVersion " + name;
        Optional<ModelVersion> found = end.version(name);
        if (found.isEmpty() || found.get().getStatus() == null) {
            defects.lost(subject, found.isEmpty() ? "is gone" : "has no status");
            return;
        }
        ModelVersion version = found.get();
        var status = version.getStatus();
        if (status.getStage() != part.end) {
            defects.lost(subject, "is " + status.getStage() + " (" + status.getMessage() + "), expected " + part.end);
        }
        if (!Objects.equals(version.getMetadata().getGeneration(), status.getObservedGeneration())) {
            defects.lost(subject, "observedGeneration " + status.getObservedGeneration() + " of generation "
                    + version.getMetadata().getGeneration());
        }
        Decision decision = part == Part.WORSE ? Decision.Rejected : Decision.Approved;
        if (status.getApproval() == null || status.getApproval().getDecision() != decision) {
            defects.lost(subject, "its decision is " + (status.getApproval() == null ? "missing"
                    : status.getApproval().getDecision()) + ", expected " + decision);
        }
        Map<JobType, List<ModelJob>> steps = new EnumMap<>(JobType.class);
        end.modelJobs().values().stream()
                .filter(job -> name.equals(job.getSpec().getModelVersion()))
                .filter(job -> job.getMetadata().getOwnerReferences() != null && job.getMetadata().getOwnerReferences()
                        .stream().anyMatch(owner -> owner.getUid().equals(version.getMetadata().getUid())))
                .forEach(job -> steps.computeIfAbsent(job.getSpec().getType(), type -> new ArrayList<>()).add(job));
        List<JobType> walk = new ArrayList<>(model.imported()
                ? List.of(JobType.Import, JobType.ComputeStatistics, JobType.Evaluate)
                : List.of(JobType.Train, JobType.Evaluate));
        if (part != Part.MANUAL) {
            walk.add(part == Part.WORSE ? JobType.Reject : JobType.Approve);
        }
        if (part == Part.FIRST || part == Part.BETTER) {
            walk.add(JobType.Deploy);
            walk.add(JobType.Retire);
        }
        for (JobType type : JobType.values()) {
            List<ModelJob> jobs = steps.getOrDefault(type, List.of());
            if (jobs.size() > 1) {
                defects.duplicate(subject, "the operator created " + jobs.size() + " " + type + " ModelJobs: "
                        + jobs.stream().map(job -> job.getMetadata().getName()).toList());
            } else if (jobs.isEmpty() && walk.contains(type)) {
                defects.lost(subject, "the operator created no " + type + " ModelJob (stage " + status.getStage()
                        + ": " + status.getMessage() + ")");
            } else if (jobs.size() == 1 && !walk.contains(type)) {
                defects.lost(subject, "the operator created a " + type + " ModelJob, "
                        + jobs.get(0).getMetadata().getName() + ", which its walk does not have");
            }
        }
        for (List<ModelJob> jobs : steps.values()) {
            ModelJob job = jobs.get(0);
            JobType type = job.getSpec().getType();
            JobEnd expected = type.kind() == JobType.Kind.COMPUTE
                    ? JobEnd.succeeded(type == JobType.Evaluate ? Map.of("auc", part.auc) : null, log(type, name))
                    : new JobEnd(JobPhase.Succeeded, null, List.of("Created", "Accepted", "Succeeded"), null,
                            new JobEnd.Logs.Any(), false);
            expected.check(job.getMetadata().getName(), end, launches, defects);
        }
    }

    /** What the simulated container of a step writes. */
    private static String log(JobType step, String version) {
        return switch (step) {
            case Import -> "importing ";
            case ComputeStatistics -> "profiling ";
            case Train -> "training ";
            default -> "evaluating ";
        } + version + "\n";
    }
}
