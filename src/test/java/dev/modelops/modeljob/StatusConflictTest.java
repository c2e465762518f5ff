package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.TimelineEntry;
import dev.modelops.sandbox.server.FaultKind;
import dev.modelops.sandbox.server.FaultPlan;
import dev.modelops.testing.CapturedLogs;
import dev.modelops.testing.OperatorUnderFaultsTest;
import dev.modelops.workload.JobSettings;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static dev.modelops.modeljob.ModelJobs.get;
import static dev.modelops.modeljob.ModelJobs.modelJob;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 409 on a status write, as the API server answers a patch computed from a resource that has changed since (a
 * user's edit, another writer): the ModelJob goes on from the newer resource, and the operator's log says so in one
 * line, not with a stack trace.
 */
class StatusConflictTest extends OperatorUnderFaultsTest {

    @Override
    protected FaultPlan plan() {
        return FaultPlan.none();
    }

    @Override
    protected void register(Operator operator, JobSettings settings) {
        operator.register(new ModelJobReconciler(settings, Clock.systemUTC()));
    }

    @Test
    void aConflictOnAStatusWriteIsTriedAgainAndLoggedAsAConflictWithoutAStackTrace() {
        client.resource(ModelJobs.version("churn-v3")).create();
        try (CapturedLogs logs = CapturedLogs.of("io.javaoperatorsdk")) {
            server.faults(FaultPlan.seeded(1, 1.0).only(FaultKind.CONFLICT));
            modelJob("conflicted", JobType.Evaluate, "churn-v3").runs("100ms")
                    .reports("{\"metrics\":{\"auc\":0.9}}").create(client);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.faultCounts().count(FaultKind.CONFLICT) >= 1);
            server.faults(FaultPlan.none());

            await().atMost(Duration.ofSeconds(30)).until(() -> get(client, "conflicted").getStatus() != null
                    && get(client, "conflicted").getStatus().getCompletionTime() != null);
            ModelJob done = get(client, "conflicted");
            assertEquals(List.of("Created", "JobCreated", "PodScheduled", "Started", "Succeeded"),
                    done.getStatus().getTimeline().stream().map(TimelineEntry::getReason).toList());
            assertEquals(0.9, done.getStatus().getResult().getMetrics().get("auc"));
            assertEquals(List.of(), logs.stackTraces());
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("Conflict during reconciliation")
                    && line.contains("conflicted")), String.join("\n", logs.lines()));
        }
    }
}
