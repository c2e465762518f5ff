package dev.modelops.sandbox.runtime;

import dev.modelops.testing.SimulatedClusterTest;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronJobScheduleTest extends SimulatedClusterTest {

    @Test
    void aJobStartsAtEachScheduledMinuteNamedAfterItAndLeavesTheActiveListOnceItEnds() {
        cronJob("nightly", "*/5 * * * *", "Allow", false, "0s");
        Instant due = nextFiveMinutes();

        clock.set(due);

        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf("nightly").size() == 1);
        Job job = jobsOf("nightly").get(0);
        assertEquals("nightly-" + due.getEpochSecond() / 60, job.getMetadata().getName());
        assertEquals(due.toString(), job.getMetadata().getAnnotations().get("batch.kubernetes.io/cronjob-scheduled-timestamp"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cronJob("nightly").getStatus() != null
                && due.toString().equals(cronJob("nightly").getStatus().getLastScheduleTime()));
        await().atMost(Duration.ofSeconds(10)).until(() -> complete(jobsOf("nightly").get(0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> cronJob("nightly").getStatus().getActive().isEmpty());
    }

    @Test
    void forbidSkipsARunWhileThePreviousOneStillRuns() {
        cronJob("exclusive", "*/5 * * * *", "Forbid", false, "1h");
        Instant due = nextFiveMinutes();
        clock.set(due);
        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf("exclusive").size() == 1);

        clock.set(due.plus(Duration.ofMinutes(5)));

        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("JobAlreadyActive") && e.getInvolvedObject().getName().equals("exclusive")));
        assertEquals(1, jobsOf("exclusive").size());
    }

    @Test
    void aSuspendedCronJobStartsNothing() {
        cronJob("paused", "*/5 * * * *", "Allow", true, "0s");
        clock.set(nextFiveMinutes());
        clock.advance(Duration.ofMinutes(11));

        cronJob("other", "*/5 * * * *", "Allow", false, "0s");
        clock.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> !jobsOf("other").isEmpty());
        assertTrue(jobsOf("paused").isEmpty());
    }

    @Test
    void finishedJobsBeyondTheHistoryLimitAreDeleted() {
        client.batch().v1().cronjobs().resource(builder("history", "*/5 * * * *", "Allow", false, "0s")
                .editSpec().withSuccessfulJobsHistoryLimit(1).endSpec().build()).create();
        Instant due = nextFiveMinutes();
        clock.set(due);
        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf("history").size() == 1 && complete(jobsOf("history").get(0)));

        clock.set(due.plus(Duration.ofMinutes(5)));

        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf("history").size() == 1
                && jobsOf("history").get(0).getMetadata().getName().equals("history-" + (due.getEpochSecond() / 60 + 5)));
    }

    @Test
    void theScheduleIsReadInTheTimeZoneOfTheCronJob() {
        client.batch().v1().cronjobs().resource(builder("kolkata", "0 * * * *", "Allow", false, "0s")
                .editSpec().withTimeZone("Asia/Kolkata").endSpec().build()).create();

        clock.advance(Duration.ofMinutes(61));

        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf("kolkata").size() == 1);
        Instant scheduled = Instant.parse(jobsOf("kolkata").get(0).getMetadata().getAnnotations()
                .get("batch.kubernetes.io/cronjob-scheduled-timestamp"));
        assertEquals(30, scheduled.atZone(java.time.ZoneOffset.UTC).getMinute(),
                "minute 0 in Kolkata (UTC+5:30) is minute 30 in UTC: " + scheduled);
    }

    private void cronJob(String name, String schedule, String policy, boolean suspend, String duration) {
        client.batch().v1().cronjobs().resource(builder(name, schedule, policy, suspend, duration).build()).create();
    }

    private static CronJobBuilder builder(String name, String schedule, String policy, boolean suspend, String duration) {
        return new CronJobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSchedule(schedule).withConcurrencyPolicy(policy).withSuspend(suspend)
                .withNewJobTemplate().withSpec(job("ignored", Map.of("sandbox.modelops.dev/duration", duration))
                        .build().getSpec()).endJobTemplate()
                .endSpec();
    }

    private CronJob cronJob(String name) {
        return client.batch().v1().cronjobs().withName(name).get();
    }

    private List<Job> jobsOf(String cronJob) {
        return client.batch().v1().jobs().list().getItems().stream()
                .filter(j -> j.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(cronJob)))
                .toList();
    }

    private static boolean complete(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True"));
    }

    /** The next five-minute boundary after both the clock and the CronJobs' creation. */
    private Instant nextFiveMinutes() {
        Instant after = clock.now().plus(Duration.ofSeconds(1));
        long minutes = after.getEpochSecond() / 60;
        return Instant.ofEpochSecond((minutes / 5 + 1) * 5 * 60);
    }
}
