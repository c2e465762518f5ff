package dev.modelops.modelversion;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.api.v1alpha1.ApprovalMode;
import dev.modelops.api.v1alpha1.ApprovalRecord;
import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.Decision;
import dev.modelops.api.v1alpha1.DeployMode;
import dev.modelops.api.v1alpha1.JobResult;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepJobs;
import dev.modelops.common.Conditions;
import dev.modelops.common.Names;
import dev.modelops.lifecycle.ChampionRules;
import dev.modelops.lifecycle.GateInputs;
import dev.modelops.lifecycle.GateProblem;
import dev.modelops.lifecycle.GateReport;
import dev.modelops.lifecycle.Gates;
import dev.modelops.lifecycle.StepJob;
import dev.modelops.lifecycle.Steps;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Derives a ModelVersion's status from its spec, the outcomes of its ModelJobs, its model's champion record and its
 * serving, and says what to do next: the next step's ModelJob, the decision the gates take, the serving, the champion
 * record. The only writer of a version's status; a plain function with no client, so that computing it again from
 * the same observation gives the same status and asks for the same actions, whatever was done before a restart.
 */
final class VersionStatusAggregator {

    /** The ModelJob limit of spec.reason. */
    static final int REASON_MAX = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Stage> SETTLED = Set.of(Stage.AwaitingApproval, Stage.Approved, Stage.Rejected,
            Stage.Deployed, Stage.Retired);

    private final Gates gates;

    VersionStatusAggregator(Gates gates) {
        this.gates = gates;
    }

    record Update(ModelVersionStatus status, List<VersionAction> actions, boolean changed) {
    }

    Update next(VersionObservation seen) {
        ModelVersionStatus old = Optional.ofNullable(seen.version().getStatus()).orElseGet(ModelVersionStatus::new);
        Walk walk = new Walk(seen, JSON.convertValue(old, ModelVersionStatus.class));
        walk.steps();
        ModelVersionStatus next = walk.finish();
        return new Update(next, walk.actions, !JSON.valueToTree(old).equals(JSON.valueToTree(next)));
    }

    /** One derivation: the status as it is being built, and the actions it calls for. */
    private final class Walk {

        private final VersionObservation seen;
        private final ModelVersion version;
        private final String name;
        private final ModelVersionStatus status;
        private final StepJobs jobs;
        private final Long generation;
        private final List<VersionAction> actions = new ArrayList<>();
        private Stage stage;
        private String message;

        Walk(VersionObservation seen, ModelVersionStatus status) {
            this.seen = seen;
            this.version = seen.version();
            this.name = version.getMetadata().getName();
            this.status = status;
            this.jobs = Optional.ofNullable(status.getJobs()).orElseGet(StepJobs::new);
            this.generation = version.getMetadata().getGeneration();
            this.stage = Optional.ofNullable(status.getStage()).orElse(Stage.Registered);
        }

        void steps() {
            ModelVersionSpec spec = version.getSpec();
            for (JobType step : Steps.of(spec.getSource())) {
                if (!step(step)) {
                    return;
                }
            }
            if (approval()) {
                production();
            }
        }

        /** Whether the step has succeeded and the walk goes on. */
        private boolean step(JobType step) {
            VersionCondition condition = VersionCondition.of(step);
            Optional<StepJob> latest = latest(step);
            Stage running = stageOf(step);
            if (latest.isEmpty()) {
                String job = jobName(step.name(), 1);
                actions.add(new VersionAction.CreateJob(step, job, null));
                record(step, job);
                set(condition, false, VersionReason.Pending, "Creating ModelJob " + job);
                at(running, "Creating the " + step + " ModelJob " + job);
                return false;
            }
            StepJob job = latest.get();
            record(step, job.name());
            // Once a decision is recorded, a later run of a step (an Evaluate on new data) is reported in its
            // condition and its result kept if it succeeds, but the decision it did not inform stands.
            boolean decided = status.getApproval() != null;
            if (!job.ended()) {
                set(condition, false, VersionReason.Running, "ModelJob " + job.name() + " is " + job.phase());
                if (decided) {
                    return true;
                }
                at(running, step + " ModelJob " + job.name() + " is " + job.phase());
                return false;
            }
            if (!job.succeeded()) {
                String why = "ModelJob " + job.name() + " " + job.phase() + ": "
                        + Objects.requireNonNullElse(job.message(), "no message");
                set(condition, false, VersionReason.Failed, why);
                if (decided) {
                    return true;
                }
                at(Stage.Failed, step + " failed: " + why + ". Create a new " + step + " ModelJob for ModelVersion "
                        + name + " to retry; the walk goes on from its result");
                return false;
            }
            set(condition, true, VersionReason.Succeeded, "ModelJob " + job.name() + " succeeded");
            apply(step, Optional.ofNullable(job.result()).orElseGet(JobResult::new));
            return true;
        }

        private void apply(JobType step, JobResult result) {
            switch (step) {
                case Train, Import -> {
                    status.setArtifactUri(result.getArtifactUri());
                    status.setArtifactDigest(result.getArtifactDigest());
                }
                case ComputeStatistics -> status.setStatistics(result.getStatistics());
                case Evaluate -> status.setMetrics(result.getMetrics() == null ? null
                        : new TreeMap<>(result.getMetrics()));
                default -> {
                }
            }
        }

        /** Whether the version is approved and goes on to production. */
        private boolean approval() {
            ApprovalRecord approval = status.getApproval();
            if (approval == null) {
                Optional<StepJob> first = seen.jobs().stream().filter(StepJob::accepted)
                        .filter(job -> job.type() == JobType.Approve || job.type() == JobType.Reject)
                        .min(StepJob.ORDER);
                if (first.isPresent()) {
                    approval = new ApprovalRecord();
                    approval.setDecision(first.get().type() == JobType.Approve ? Decision.Approved : Decision.Rejected);
                    approval.setReason(first.get().reason());
                    approval.setJob(first.get().name());
                    approval.setTime(Conditions.timestamp(seen.now()));
                    status.setApproval(approval);
                }
            }
            if (approval == null) {
                latestDecision().ifPresent(job -> jobs.setApproval(job.name()));
                awaitDecision();
                return false;
            }
            jobs.setApproval(approval.getJob());
            String by = " by ModelJob " + approval.getJob() + ": " + approval.getReason();
            if (approval.getDecision() == Decision.Rejected) {
                set(VersionCondition.Approved, false, VersionReason.Rejected, "Rejected" + by);
                at(Stage.Rejected, "Rejected" + by);
                return false;
            }
            set(VersionCondition.Approved, true, VersionReason.Approved, "Approved" + by);
            return true;
        }

        private void awaitDecision() {
            boolean automatic = version.getSpec().getApproval() != null
                    && version.getSpec().getApproval().getMode() == ApprovalMode.Automatic;
            boolean pending = seen.jobs().stream().anyMatch(job -> !job.ended()
                    && (job.type() == JobType.Approve || job.type() == JobType.Reject));
            String decisionJob = jobName("approval", 1);
            boolean decidedBefore = seen.jobs().stream().anyMatch(job -> job.name().equals(decisionJob));
            if (!automatic || pending || decidedBefore) {
                String waiting = pending ? "waiting for the Approve or Reject ModelJob to be recorded"
                        : "waiting for an Approve or Reject ModelJob with a reason";
                set(VersionCondition.Approved, false, VersionReason.AwaitingApproval, waiting);
                at(Stage.AwaitingApproval, "Evaluated; " + waiting);
                return;
            }
            GateReport report = gates.evaluate(gateList(), gateInputs());
            if (report.problem().isPresent()) {
                var problem = report.problem().get();
                VersionReason reason = problem.kind() == GateProblem.Kind.MissingMetric
                        ? VersionReason.MissingMetric : VersionReason.InvalidGate;
                String why = "gate \"" + problem.gate() + "\": " + problem.message();
                set(VersionCondition.Approved, false, reason, why);
                at(Stage.AwaitingApproval, "The approval gates cannot decide: " + why
                        + ". Fix spec.approval.gates, or create an Approve or Reject ModelJob");
                return;
            }
            JobType decision = report.passed() ? JobType.Approve : JobType.Reject;
            actions.add(new VersionAction.CreateJob(decision, decisionJob, report.reason(REASON_MAX)));
            jobs.setApproval(decisionJob);
            set(VersionCondition.Approved, false, VersionReason.Deciding, "The gates "
                    + (report.passed() ? "pass" : "fail") + "; creating ModelJob " + decisionJob + " (" + decision + ")");
            at(Stage.AwaitingApproval, "Evaluated; the gates decided " + decision + " through ModelJob " + decisionJob);
        }

        private List<String> gateList() {
            return Optional.ofNullable(version.getSpec().getApproval()).map(a -> a.getGates()).orElse(List.of());
        }

        private GateInputs gateInputs() {
            Map<String, Object> self = new LinkedHashMap<>();
            self.put("name", name);
            self.put("model", version.getSpec().getModel());
            self.put("version", version.getSpec().getVersion());
            if (status.getArtifactUri() != null) {
                self.put("artifactUri", status.getArtifactUri());
            }
            if (status.getArtifactDigest() != null) {
                self.put("artifactDigest", status.getArtifactDigest());
            }
            return new GateInputs(Optional.ofNullable(status.getMetrics()).orElse(Map.of()), status.getStatistics(),
                    self, seen.champion());
        }

        private void production() {
            boolean online = version.getSpec().getDeploy() != null
                    && version.getSpec().getDeploy().getMode() == DeployMode.Online;
            if (Boolean.TRUE.equals(status.getChampion())) {
                champion(online);
                return;
            }
            boolean wasDeploying = stage == Stage.Deploying;
            Optional<StepJob> deploying = (wasDeploying ? find(jobs.getDeploy()).filter(StepJob::accepted)
                    : Optional.<StepJob>empty())
                    .or(() -> seen.jobs().stream().filter(StepJob::accepted).filter(job -> job.type() == JobType.Deploy)
                            .filter(job -> !job.name().equals(jobs.getDeploy())).min(StepJob.ORDER));
            Stage resting = retired() ? Stage.Retired : Stage.Approved;
            Optional<StepJob> recorded = find(jobs.getDeploy());
            if (deploying.isEmpty() && wasDeploying && recorded.map(job -> !job.ended()).orElse(true)) {
                // The Deploy ModelJob was just created and is not accepted yet, or not in the cache yet; or, when it
                // is the automatic one and missing, its create failed or the operator stopped after recording it:
                // asked for again (a create of one that exists changes nothing).
                if (recorded.isEmpty() && jobs.getDeploy().equals(automaticDeployJob())
                        && seen.jobs().stream().noneMatch(job -> job.type() == JobType.Deploy)) {
                    actions.add(automaticDeploy());
                }
                set(VersionCondition.Deployed, false, VersionReason.Deploying, "Waiting for Deploy ModelJob "
                        + jobs.getDeploy() + " to be accepted");
                at(Stage.Deploying, "Deploying through ModelJob " + jobs.getDeploy());
                return;
            }
            if (deploying.isEmpty()) {
                ChampionRules.withdrawn(name, seen.record()).ifPresent(this::writeChampion);
                ChampionRules.steppedDown(name, seen.record()).ifPresent(this::writeChampion);
                if (wasDeploying) {
                    stopServing(online);
                    set(VersionCondition.Deployed, false, VersionReason.DeployFailed, "Deploy ModelJob "
                            + jobs.getDeploy() + " ended before the version was deployed");
                    at(resting, "The deploy by ModelJob " + jobs.getDeploy() + " ended before it completed");
                    return;
                }
                boolean automatic = version.getSpec().getDeploy() != null
                        && Boolean.TRUE.equals(version.getSpec().getDeploy().getAutomatic());
                if (automatic && seen.jobs().stream().noneMatch(job -> job.type() == JobType.Deploy)) {
                    String job = automaticDeployJob();
                    actions.add(automaticDeploy());
                    jobs.setDeploy(job);
                    set(VersionCondition.Deployed, false, VersionReason.Deploying, "Creating Deploy ModelJob " + job);
                    at(Stage.Deploying, "Approved; deploying automatically through ModelJob " + job);
                    return;
                }
                if (Conditions.find(status.getConditions(), VersionCondition.Deployed.name()).isEmpty()) {
                    set(VersionCondition.Deployed, false, VersionReason.NotDeployed,
                            "Create a Deploy ModelJob to deploy the version");
                }
                at(resting, resting == Stage.Retired ? "Retired" : "Approved; create a Deploy ModelJob to deploy it");
                return;
            }
            StepJob deploy = deploying.get();
            jobs.setDeploy(deploy.name());
            if (online) {
                if (seen.serving() instanceof Serving.Failed failed) {
                    stopServing(true);
                    ChampionRules.withdrawn(name, seen.record()).ifPresent(this::writeChampion);
                    String why = "Deploy ModelJob " + deploy.name() + " failed: " + failed.message();
                    set(VersionCondition.Deployed, false, VersionReason.DeployFailed, why);
                    at(resting, why);
                    return;
                }
                actions.add(new VersionAction.Serve());
                if (!(seen.serving() instanceof Serving.Available)) {
                    String why = seen.serving() instanceof Serving.Progressing progressing ? progressing.message()
                            : "creating the Deployment and Service that serve it";
                    set(VersionCondition.Deployed, false, VersionReason.Deploying, "ModelJob " + deploy.name()
                            + ": " + why);
                    at(Stage.Deploying, "Deploying through ModelJob " + deploy.name() + ": " + why);
                    return;
                }
            }
            var claim = ChampionRules.claim(name, seen.record(), seen.championExists());
            if (claim instanceof ChampionRules.Claim.Write write) {
                writeChampion(write.next());
                set(VersionCondition.Deployed, false, VersionReason.Deploying, "ModelJob " + deploy.name()
                        + ": claiming the champion of model " + version.getSpec().getModel());
                at(Stage.Deploying, "Deploying through ModelJob " + deploy.name() + ": claiming the champion of model "
                        + version.getSpec().getModel());
                return;
            }
            if (claim instanceof ChampionRules.Claim.Wait wait) {
                set(VersionCondition.Deployed, false, VersionReason.WaitingForChampion, "ModelJob " + deploy.name()
                        + ": " + wait.message());
                at(Stage.Deploying, "Deploying through ModelJob " + deploy.name() + ": " + wait.message());
                return;
            }
            status.setChampion(true);
            String deployed = "Deployed by ModelJob " + deploy.name() + "; the champion of model "
                    + version.getSpec().getModel();
            set(VersionCondition.Deployed, true, VersionReason.Deployed, deployed);
            if (retired()) {
                set(VersionCondition.Retired, false, VersionReason.Deployed, deployed);
            }
            at(Stage.Deployed, deployed);
        }

        private String automaticDeployJob() {
            return jobName("deploy", 1);
        }

        private VersionAction.CreateJob automaticDeploy() {
            return new VersionAction.CreateJob(JobType.Deploy, automaticDeployJob(),
                    "deploy.automatic: approved by ModelJob " + status.getApproval().getJob());
        }

        /** A champion: retired when a Retire ModelJob is accepted, asked to retire when another takes its place. */
        private void champion(boolean online) {
            Optional<StepJob> retire = seen.jobs().stream().filter(StepJob::accepted)
                    .filter(job -> job.type() == JobType.Retire).min(StepJob.ORDER);
            if (retire.isPresent()) {
                jobs.setRetire(retire.get().name());
                status.setChampion(false);
                stopServing(online);
                ChampionRules.steppedDown(name, seen.record()).ifPresent(this::writeChampion);
                String why = "Retired by ModelJob " + retire.get().name()
                        + Optional.ofNullable(retire.get().reason()).map(r -> ": " + r).orElse("");
                set(VersionCondition.Deployed, false, VersionReason.Retired, why);
                set(VersionCondition.Retired, true, VersionReason.Retired, why);
                at(Stage.Retired, why);
                return;
            }
            Optional<String> successor = ChampionRules.supersededBy(name, seen.record());
            boolean retiring = seen.jobs().stream().anyMatch(job -> job.type() == JobType.Retire && !job.ended());
            if (successor.isPresent() && !retiring) {
                long retires = seen.jobs().stream().filter(job -> job.type() == JobType.Retire).count();
                String job = jobName("retire", retires + 1);
                actions.add(new VersionAction.CreateJob(JobType.Retire, job, "superseded by " + successor.get()));
            }
            if (online) {
                actions.add(new VersionAction.Serve());
            }
            String deployed = "Deployed by ModelJob " + jobs.getDeploy() + "; the champion of model "
                    + version.getSpec().getModel();
            set(VersionCondition.Deployed, true, VersionReason.Deployed, deployed);
            at(Stage.Deployed, successor.map(s -> "Deployed; stepping down for ModelVersion " + s).orElse(deployed));
        }

        private boolean retired() {
            return Conditions.isTrue(status.getConditions(), VersionCondition.Retired.name())
                    || stage == Stage.Retired;
        }

        private void stopServing(boolean online) {
            if (online) {
                actions.add(new VersionAction.StopServing());
            }
        }

        private void writeChampion(dev.modelops.lifecycle.ChampionRecord next) {
            actions.add(new VersionAction.WriteChampion(next));
        }

        ModelVersionStatus finish() {
            status.setStage(stage);
            status.setMessage(message);
            status.setJobs(jobs);
            status.setHeadlineMetric(headline());
            if (status.getChampion() == null && (stage == Stage.Deployed || stage == Stage.Retired
                    || stage == Stage.Approved || stage == Stage.Deploying)) {
                status.setChampion(false);
            }
            boolean settled = SETTLED.contains(stage) && actions.stream()
                    .noneMatch(action -> action instanceof VersionAction.CreateJob);
            VersionReason why = settled ? VersionReason.Settled : stage == Stage.Failed ? VersionReason.Failed
                    : VersionReason.InProgress;
            Optional<Condition> approved = Conditions.find(status.getConditions(), VersionCondition.Approved.name());
            if (approved.map(c -> c.getReason().equals(VersionReason.InvalidGate.name())
                    || c.getReason().equals(VersionReason.MissingMetric.name())).orElse(false)) {
                settled = false;
                why = VersionReason.valueOf(approved.get().getReason());
            }
            set(VersionCondition.Ready, settled, why, message);
            status.setObservedGeneration(generation);
            return status;
        }

        /** The first metric the gates name, else the first by name, as name=value. */
        private String headline() {
            Map<String, Double> metrics = status.getMetrics();
            if (metrics == null || metrics.isEmpty()) {
                return null;
            }
            String key = gateList().stream().flatMap(gate -> metrics.keySet().stream()
                    .filter(metric -> gate.contains("metrics." + metric) || gate.contains("metrics['" + metric + "']")))
                    .findFirst().orElse(new TreeMap<>(metrics).firstKey());
            return key + "=" + BigDecimal.valueOf(metrics.get(key)).stripTrailingZeros().toPlainString();
        }

        private void at(Stage stage, String message) {
            this.stage = stage;
            this.message = message;
        }

        private void set(VersionCondition type, boolean holds, VersionReason reason, String message) {
            status.setConditions(Conditions.set(status.getConditions(), type,
                    holds ? ConditionStatus.True : ConditionStatus.False, reason, message, generation, seen.now()));
        }

        private Optional<StepJob> latest(JobType type) {
            return seen.jobs().stream().filter(job -> job.type() == type).max(StepJob.ORDER);
        }

        private Optional<StepJob> latestDecision() {
            return seen.jobs().stream().filter(job -> job.type() == JobType.Approve || job.type() == JobType.Reject)
                    .max(StepJob.ORDER);
        }

        private Optional<StepJob> find(String job) {
            return seen.jobs().stream().filter(j -> j.name().equals(job)).findFirst();
        }

        private void record(JobType step, String job) {
            switch (step) {
                case Train -> jobs.setTrain(job);
                case Import -> jobs.setImport(job);
                case ComputeStatistics -> jobs.setComputeStatistics(job);
                case Evaluate -> jobs.setEvaluate(job);
                default -> {
                }
            }
        }

        private static Stage stageOf(JobType step) {
            return switch (step) {
                case Train -> Stage.Training;
                case Import -> Stage.Importing;
                case ComputeStatistics -> Stage.ComputingStatistics;
                default -> Stage.Evaluating;
            };
        }

        /** {@code <version>-<step>-<n>}, at most 63 characters: it is also the name of the step's batch Job. */
        private String jobName(String step, long n) {
            String suffix = step.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase() + "-" + n;
            return Names.child(name, suffix, Names.LABEL_MAX);
        }
    }
}
