package dev.modelops.lifecycle;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    @Test
    void theNextRunIsInTheSchedulesTimeZone() {
        Schedule nightly = Schedule.of("0 2 * * *", "Europe/Madrid");
        assertEquals(Optional.of(Instant.parse("2026-12-03T01:00:00Z")),
                nightly.nextAfter(Instant.parse("2026-12-02T10:00:00Z")), "02:00 in Madrid is 01:00 UTC in winter");
        assertEquals(Optional.of(Instant.parse("2026-12-02T11:00:00Z")),
                Schedule.of("@hourly", null).nextAfter(Instant.parse("2026-12-02T10:00:00Z")));
    }

    @Test
    void theTimesDueBetweenTwoInstantsAreBoundedToTheLatest() {
        Schedule everyMinute = Schedule.of("* * * * *", "UTC");
        List<Instant> due = everyMinute.between(Instant.parse("2026-12-02T10:00:00Z"),
                Instant.parse("2026-12-02T10:05:30Z"), 3);
        assertEquals(List.of(Instant.parse("2026-12-02T10:03:00Z"), Instant.parse("2026-12-02T10:04:00Z"),
                Instant.parse("2026-12-02T10:05:00Z")), due);
    }

    @Test
    void anUnreadableScheduleOrTimeZoneSaysWhich() {
        var schedule = assertThrows(IllegalArgumentException.class, () -> Schedule.of("61 * * * *", "UTC"));
        assertTrue(schedule.getMessage().startsWith("invalid schedule '61 * * * *'"), schedule.getMessage());
        var zone = assertThrows(IllegalArgumentException.class, () -> Schedule.of("0 * * * *", "Mars/Olympus"));
        assertTrue(zone.getMessage().startsWith("unknown time zone Mars/Olympus"), zone.getMessage());
    }

    @Test
    void aScheduledJobIsNamedAsKubernetesNamesIt() {
        assertEquals("churn-nightly-29413440", Schedule.jobName("churn-nightly", Instant.parse("2025-12-04T00:00:00Z")));
    }
}
