package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.ApprovalMode;
import dev.modelops.api.v1alpha1.ApprovalPolicy;
import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.DeployMode;
import dev.modelops.api.v1alpha1.DeployPolicy;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobResult;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelSource;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.OnlineServing;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepTemplate;
import dev.modelops.common.Conditions;
import dev.modelops.lifecycle.ChampionRecord;
import dev.modelops.lifecycle.GateInputs;
import dev.modelops.lifecycle.Gates;
import dev.modelops.lifecycle.StepJob;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A version's status and next actions, derived from its spec and its ModelJobs' outcomes, with no client. */
class VersionStatusAggregatorTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private final VersionStatusAggregator aggregator = new VersionStatusAggregator(new Gates());
    private final List<StepJob> jobs = new ArrayList<>();
    private ModelVersion version = trained();
    private Optional<ChampionRecord> record = Optional.empty();
    private Optional<GateInputs.Champion> champion = Optional.empty();
    private Serving serving = new Serving.None();

    @Test
    void aNewTrainedVersionAsksForItsTrainModelJobFirst() {
        var update = next();
        assertEquals(List.of(new VersionAction.CreateJob(JobType.Train, "v3-train-1", null)), update.actions());
        assertEquals(Stage.Training, update.status().getStage());
        assertEquals("v3-train-1", update.status().getJobs().getTrain());
        assertCondition(update, "Trained", "False", "Pending");
    }

    @Test
    void theSameObservationGivesTheSameStatusAndAsksForTheSameActions() {
        var first = next();
        version.setStatus(first.status());
        var again = next();
        assertFalse(again.changed(), "nothing new to write");
        assertEquals(first.actions(), again.actions(), "a ModelJob that exists is left as it is");
    }

    @Test
    void aSucceededTrainGivesTheArtifactAndAsksForEvaluate() {
        JobResult result = new JobResult();
        result.setArtifactUri("s3://models/churn/3");
        result.setArtifactDigest("ab".repeat(32));
        job("v3-train-1", JobType.Train, JobPhase.Succeeded, 0, result);
        var update = next();
        assertEquals("s3://models/churn/3", update.status().getArtifactUri());
        assertEquals("ab".repeat(32), update.status().getArtifactDigest());
        assertEquals(List.of(new VersionAction.CreateJob(JobType.Evaluate, "v3-evaluate-1", null)), update.actions());
        assertEquals(Stage.Evaluating, update.status().getStage());
    }

    @Test
    void aFailedStepStopsTheWalkNamingTheModelJobAndWhy() {
        job("v3-train-1", JobType.Train, JobPhase.Failed, 0, null);
        var update = next();
        assertEquals(Stage.Failed, update.status().getStage());
        assertEquals(List.of(), update.actions());
        assertCondition(update, "Trained", "False", "Failed");
        assertEquals("ModelJob v3-train-1 Failed: exit code 1", condition(update, "Trained").getMessage());
        assertCondition(update, "Ready", "False", "Failed");
    }

    @Test
    void passingGatesAskForAnApproveModelJobWhoseReasonListsEachGate() {
        evaluated(0.91);
        automatic("metrics.auc >= 0.85");
        var update = next();
        assertEquals(1, update.actions().size());
        var create = (VersionAction.CreateJob) update.actions().get(0);
        assertEquals(JobType.Approve, create.type());
        assertEquals("v3-approval-1", create.name());
        assertEquals("Approved by gates:\nPASS metrics.auc >= 0.85 (metrics.auc = 0.91)", create.reason());
        assertEquals("auc=0.91", update.status().getHeadlineMetric());
    }

    @Test
    void failingGatesAskForARejectModelJob() {
        evaluated(0.80);
        automatic("metrics.auc >= 0.85");
        var create = (VersionAction.CreateJob) next().actions().get(0);
        assertEquals(JobType.Reject, create.type());
        assertTrue(create.reason().startsWith("Rejected by gates:\nFAIL metrics.auc >= 0.85"), create.reason());
    }

    @Test
    void aGateThatDoesNotCompileDecidesNothingAndSaysWhy() {
        evaluated(0.91);
        automatic("metrics.auc >=");
        var update = next();
        assertEquals(List.of(), update.actions());
        assertCondition(update, "Approved", "False", "InvalidGate");
        assertTrue(condition(update, "Approved").getMessage().startsWith("gate \"metrics.auc >=\": "),
                condition(update, "Approved").getMessage());
        assertCondition(update, "Ready", "False", "InvalidGate");
        assertEquals(Stage.AwaitingApproval, update.status().getStage());
    }

    @Test
    void aGateOnAMetricTheEvaluationDidNotReportSaysWhichOne() {
        evaluated(0.91);
        automatic("metrics.f1 >= 0.5");
        var update = next();
        assertEquals(List.of(), update.actions());
        assertCondition(update, "Approved", "False", "MissingMetric");
        assertTrue(condition(update, "Approved").getMessage().contains("needs metric f1"),
                condition(update, "Approved").getMessage());
    }

    @Test
    void mustBeatTheChampionWhenThereIsOneAndPassesWhenThereIsNone() {
        evaluated(0.91);
        automatic("!has(champion.metrics) || metrics.auc >= champion.metrics.auc + 0.01");
        assertEquals(JobType.Approve, ((VersionAction.CreateJob) next().actions().get(0)).type(), "no champion");
        champion = Optional.of(new GateInputs.Champion("v2", "2", Map.of("auc", 0.905)));
        var create = (VersionAction.CreateJob) next().actions().get(0);
        assertEquals(JobType.Reject, create.type());
        assertTrue(create.reason().contains("champion.metrics.auc = 0.905"), create.reason());
    }

    @Test
    void theFirstAcceptedDecisionByCreationTimeThenNameIsRecorded() {
        evaluated(0.91);
        job("v3-reject-b", JobType.Reject, JobPhase.Running, 10, null);
        job("v3-approve-a", JobType.Approve, JobPhase.Running, 10, null);
        job("v3-approve-0", JobType.Approve, JobPhase.Running, 11, null);
        var update = next();
        assertEquals("v3-approve-a", update.status().getApproval().getJob());
        assertEquals(Stage.Approved, update.status().getStage());
    }

    @Test
    void anAcceptedDeployClaimsTheChampionAndIsDeployedOnceTheRecordNamesIt() {
        approved();
        job("v3-deploy", JobType.Deploy, JobPhase.Running, 20, null);
        var claiming = next();
        assertEquals(List.of(new VersionAction.WriteChampion(new ChampionRecord("v3", null, null))), claiming.actions());
        assertEquals(Stage.Deploying, claiming.status().getStage());
        version.setStatus(claiming.status());
        record = Optional.of(new ChampionRecord("v3", null, "5"));
        var deployed = next();
        assertEquals(Stage.Deployed, deployed.status().getStage());
        assertTrue(deployed.status().getChampion());
        assertCondition(deployed, "Deployed", "True", "Deployed");
    }

    @Test
    void anAutomaticDeployRecordedButNeverCreatedIsAskedForAgain() {
        approved();
        DeployPolicy deploy = new DeployPolicy();
        deploy.setMode(DeployMode.Batch);
        deploy.setAutomatic(true);
        version.getSpec().setDeploy(deploy);
        var deploying = next();
        VersionAction.CreateJob create = new VersionAction.CreateJob(JobType.Deploy, "v3-deploy-1",
                "deploy.automatic: approved by ModelJob v3-approve");
        assertEquals(List.of(create), deploying.actions());
        assertEquals(Stage.Deploying, deploying.status().getStage());
        version.setStatus(deploying.status());

        // The status says Deploying through v3-deploy-1, and the create failed, or the operator was killed before it.
        var again = next();

        assertEquals(List.of(create), again.actions(), "the chaos suite found versions Deploying for good");
        assertEquals(Stage.Deploying, again.status().getStage());
    }

    @Test
    void aChampionWithASuccessorAsksForItsRetireSupersededByIt() {
        approved();
        job("v3-deploy", JobType.Deploy, JobPhase.Succeeded, 20, null);
        version.getStatus().setChampion(true);
        version.getStatus().setStage(Stage.Deployed);
        record = Optional.of(new ChampionRecord("v3", "v4", "6"));
        assertEquals(List.of(new VersionAction.CreateJob(JobType.Retire, "v3-retire-1", "superseded by v4")),
                next().actions());
        job("v3-retire-1", JobType.Retire, JobPhase.Running, 30, null);
        var retired = next();
        assertEquals(Stage.Retired, retired.status().getStage());
        assertFalse(retired.status().getChampion());
        assertEquals(List.of(new VersionAction.WriteChampion(new ChampionRecord("v4", null, "6"))), retired.actions(),
                "the record is handed over after the status says it stepped down");
    }

    @Test
    void anOnlineDeployWaitsForItsServingAndFailsWhenItsDeadlinePasses() {
        approved();
        online();
        job("v3-deploy", JobType.Deploy, JobPhase.Running, 20, null);
        serving = new Serving.Progressing("Deployment v3-serving: 0 of 2 replicas available");
        var waiting = next();
        assertEquals(List.of(new VersionAction.Serve()), waiting.actions(), "no claim before it serves");
        assertEquals(Stage.Deploying, waiting.status().getStage());
        version.setStatus(waiting.status());
        serving = new Serving.Failed("Deployment v3-serving did not become available within 60s: timed out");
        var failed = next();
        assertEquals(List.of(new VersionAction.StopServing()), failed.actions());
        assertEquals(Stage.Approved, failed.status().getStage());
        assertCondition(failed, "Deployed", "False", "DeployFailed");
        assertEquals("Deploy ModelJob v3-deploy failed: Deployment v3-serving did not become available within 60s:"
                + " timed out", condition(failed, "Deployed").getMessage());
    }

    @Test
    void aReEvaluationOfADecidedVersionReportsInItsConditionAndLeavesTheStageAlone() {
        approved();
        job("v3-deploy", JobType.Deploy, JobPhase.Succeeded, 20, null);
        version.getStatus().setChampion(true);
        version.getStatus().setStage(Stage.Deployed);
        record = Optional.of(new ChampionRecord("v3", null, "5"));
        JobResult newer = new JobResult();
        newer.setMetrics(Map.of("auc", 0.88));

        job("v3-evaluate-march", JobType.Evaluate, JobPhase.Running, 30, null);
        var running = next();
        assertEquals(Stage.Deployed, running.status().getStage(), "the champion stays in production");
        assertTrue(running.status().getChampion());
        assertCondition(running, "Evaluated", "False", "Running");
        assertEquals(List.of(), running.actions());
        version.setStatus(running.status());

        jobs.removeIf(job -> job.name().equals("v3-evaluate-march"));
        job("v3-evaluate-march", JobType.Evaluate, JobPhase.Failed, 30, null);
        var failed = next();
        assertEquals(Stage.Deployed, failed.status().getStage(), "a failed re-evaluation does not fail the champion");
        assertTrue(failed.status().getChampion());
        assertCondition(failed, "Evaluated", "False", "Failed");
        assertEquals(Map.of("auc", 0.91), failed.status().getMetrics(), "the metrics the decision was made on");
        assertEquals("ModelJob v3-evaluate-march Failed: exit code 1", condition(failed, "Evaluated").getMessage());
        version.setStatus(failed.status());

        job("v3-evaluate-april", JobType.Evaluate, JobPhase.Succeeded, 40, newer);
        var evaluated = next();
        assertEquals(Stage.Deployed, evaluated.status().getStage());
        assertCondition(evaluated, "Evaluated", "True", "Succeeded");
        assertEquals(Map.of("auc", 0.88), evaluated.status().getMetrics(), "the latest evaluation's metrics");
        assertEquals("v3-approve", evaluated.status().getApproval().getJob(), "the decision is kept");
    }

    @Test
    void aReEvaluationBeforeTheDecisionStillMovesTheVersion() {
        evaluated(0.91);
        job("v3-evaluate-2", JobType.Evaluate, JobPhase.Failed, 10, null);
        assertEquals(Stage.Failed, next().status().getStage(), "undecided: the latest evaluation is the one to decide on");
    }

    private VersionStatusAggregator.Update next() {
        return aggregator.next(new VersionObservation(version, jobs, record, record.isPresent(), champion, serving, NOW));
    }

    private void evaluated(double auc) {
        job("v3-train-1", JobType.Train, JobPhase.Succeeded, 0, null);
        JobResult metrics = new JobResult();
        metrics.setMetrics(Map.of("auc", auc));
        job("v3-evaluate-1", JobType.Evaluate, JobPhase.Succeeded, 1, metrics);
    }

    private void approved() {
        evaluated(0.91);
        job("v3-approve", JobType.Approve, JobPhase.Running, 5, null);
        version.setStatus(next().status());
        jobs.removeIf(job -> job.name().equals("v3-approve"));
        job("v3-approve", JobType.Approve, JobPhase.Succeeded, 5, null);
    }

    private void automatic(String... gates) {
        ApprovalPolicy approval = new ApprovalPolicy();
        approval.setMode(ApprovalMode.Automatic);
        approval.setGates(List.of(gates));
        version.getSpec().setApproval(approval);
    }

    private void online() {
        DeployPolicy deploy = new DeployPolicy();
        deploy.setMode(DeployMode.Online);
        OnlineServing online = new OnlineServing();
        online.setImage("ghcr.io/acme/churn-serve:1");
        deploy.setOnline(online);
        version.getSpec().setDeploy(deploy);
    }

    private void job(String name, JobType type, JobPhase phase, int second, JobResult result) {
        jobs.add(new StepJob(name, type, phase, NOW.minusSeconds(100 - second), "because",
                phase == JobPhase.Failed ? "exit code 1" : null, result));
    }

    private static ModelVersion trained() {
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName("v3");
        version.getMetadata().setGeneration(1L);
        version.setSpec(new ModelVersionSpec());
        version.getSpec().setModel("churn");
        version.getSpec().setVersion("3");
        ModelSource source = new ModelSource();
        source.setTrain(new StepTemplate());
        version.getSpec().setSource(source);
        return version;
    }

    private static void assertCondition(VersionStatusAggregator.Update update, String type, String status,
            String reason) {
        Condition condition = condition(update, type);
        assertEquals(status, condition.getStatus().name(), type + ": " + condition.getMessage());
        assertEquals(reason, condition.getReason(), type + ": " + condition.getMessage());
    }

    private static Condition condition(VersionStatusAggregator.Update update, String type) {
        return Conditions.find(update.status().getConditions(), type).orElseThrow();
    }
}
