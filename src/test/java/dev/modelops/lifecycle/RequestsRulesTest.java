package dev.modelops.lifecycle;

import dev.modelops.api.v1alpha1.ApprovalRecord;
import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import dev.modelops.api.v1alpha1.Decision;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionSpec;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.api.v1alpha1.StepJobs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** May this request be taken in the version's stage, and what became of it once accepted. */
class RequestsRulesTest {

    @Test
    void decisionsAreTakenOnlyWhileAwaitingApprovalAndOnce() {
        assertEquals(Optional.of("ModelVersion v is Evaluating: it can be approved or rejected once it is evaluated"
                + " and AwaitingApproval"), Requests.refusal("a", JobType.Approve, version(Stage.Evaluating)));
        assertEquals(Optional.empty(), Requests.refusal("a", JobType.Reject, version(Stage.AwaitingApproval)));
        ModelVersion decided = version(Stage.Approved);
        decided.getStatus().setApproval(approval(Decision.Approved, "v-approve"));
        assertEquals(Optional.of("ModelVersion v was already Approved by ModelJob v-approve: a version is decided"
                + " once; create a new ModelVersion to decide again"), Requests.refusal("b", JobType.Approve, decided));
    }

    @Test
    void onlyAnApprovedVersionDeploysAndOneDeployAtATime() {
        assertEquals(Optional.of("ModelVersion v is AwaitingApproval: only an Approved version can be deployed"),
                Requests.refusal("d", JobType.Deploy, version(Stage.AwaitingApproval)));
        ModelVersion rejected = version(Stage.Rejected);
        rejected.getStatus().setApproval(approval(Decision.Rejected, "v-reject"));
        assertEquals(Optional.of("ModelVersion v was Rejected by ModelJob v-reject: a rejected version is never"
                + " deployed"), Requests.refusal("d", JobType.Deploy, rejected));
        ModelVersion deploying = approved(Stage.Deploying, "v-deploy-1");
        assertEquals(Optional.empty(), Requests.refusal("v-deploy-1", JobType.Deploy, deploying),
                "the Deploy the version is carrying out");
        assertEquals(Optional.of("ModelVersion v is Deploying by ModelJob v-deploy-1: it is deployed once at a time"),
                Requests.refusal("v-deploy-2", JobType.Deploy, deploying));
        assertEquals(Optional.empty(), Requests.refusal("d", JobType.Deploy, approved(Stage.Retired, "old")),
                "a retired version that was approved deploys again");
    }

    @Test
    void onlyADeployedVersionRetires() {
        assertEquals(Optional.of("ModelVersion v is Approved, not Deployed: only a deployed version can be retired"),
                Requests.refusal("r", JobType.Retire, approved(Stage.Approved, null)));
        assertEquals(Optional.empty(), Requests.refusal("r", JobType.Retire, approved(Stage.Deployed, "d")));
    }

    @Test
    void anAcceptedDecisionEndsByWhatTheVersionRecorded() {
        assertInstanceOf(Requests.Verdict.Waiting.class,
                Requests.verdict("a", JobType.Approve, version(Stage.AwaitingApproval)));
        ModelVersion decided = version(Stage.Approved);
        decided.getStatus().setApproval(approval(Decision.Approved, "a"));
        assertEquals(new Requests.Verdict.Done("ModelVersion v is Approved: because"),
                Requests.verdict("a", JobType.Approve, decided));
        assertEquals(new Requests.Verdict.Superseded("ModelVersion v was already Approved by ModelJob a, taken first"),
                Requests.verdict("b", JobType.Reject, decided));
    }

    @Test
    void anAcceptedDeploySucceedsWhenDeployedAndFailsWithTheVersionsReason() {
        assertInstanceOf(Requests.Verdict.Waiting.class,
                Requests.verdict("d", JobType.Deploy, approved(Stage.Deploying, "d")));
        assertInstanceOf(Requests.Verdict.Done.class,
                Requests.verdict("d", JobType.Deploy, approved(Stage.Deployed, "d")));
        assertEquals(new Requests.Verdict.Superseded("ModelVersion v is Deploying by ModelJob d, taken first"),
                Requests.verdict("e", JobType.Deploy, approved(Stage.Deploying, "d")));
        ModelVersion failed = approved(Stage.Approved, "d");
        Condition deployed = new Condition();
        deployed.setType("Deployed");
        deployed.setStatus(ConditionStatus.False);
        deployed.setReason(Requests.DEPLOY_FAILED);
        deployed.setMessage("Deploy ModelJob d failed: Deployment v-serving did not become available within 60s");
        failed.getStatus().setConditions(List.of(deployed));
        assertEquals(new Requests.Verdict.Failed(deployed.getMessage()), Requests.verdict("d", JobType.Deploy, failed));
        assertInstanceOf(Requests.Verdict.Waiting.class, Requests.verdict("e", JobType.Deploy, failed),
                "a retry after a failed deploy waits to be taken");
    }

    private static ModelVersion approved(Stage stage, String deploy) {
        ModelVersion version = version(stage);
        version.getStatus().setApproval(approval(Decision.Approved, "a"));
        version.getStatus().getJobs().setDeploy(deploy);
        return version;
    }

    private static ModelVersion version(Stage stage) {
        ModelVersion version = new ModelVersion();
        version.getMetadata().setName("v");
        version.setSpec(new ModelVersionSpec());
        version.getSpec().setModel("m");
        version.setStatus(new ModelVersionStatus());
        version.getStatus().setStage(stage);
        version.getStatus().setJobs(new StepJobs());
        return version;
    }

    private static ApprovalRecord approval(Decision decision, String job) {
        ApprovalRecord approval = new ApprovalRecord();
        approval.setDecision(decision);
        approval.setJob(job);
        approval.setReason("because");
        return approval;
    }
}
