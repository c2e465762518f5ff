package dev.modelops.lifecycle;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule of five-field cron or a macro, in a time zone, as a CronJob reads it: a BatchPrediction's, and the
 * sandbox's CronJobs'.
 */
public final class Schedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private final ExecutionTime times;
    private final ZoneId zone;

    private Schedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException naming what cannot be read: the schedule or the time zone */
    public static Schedule of(String schedule, String timeZone) {
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone " + timeZone + ": " + e.getMessage());
        }
        String expression = MACROS.getOrDefault(schedule.trim(), schedule.trim());
        try {
            return new Schedule(ExecutionTime.forCron(PARSER.parse(expression)), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid schedule '" + schedule + "': " + e.getMessage());
        }
    }

    /** The latest scheduled time at or before {@code now}. */
    public Optional<Instant> lastAtOrBefore(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        if (at.getSecond() == 0 && at.getNano() == 0 && times.isMatch(at)) {
            return Optional.of(now);
        }
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    /** The first scheduled time after {@code now}. */
    public Optional<Instant> nextAfter(Instant now) {
        return times.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /** The scheduled times after {@code from} and at or before {@code to}, at most {@code limit} of the latest. */
    public List<Instant> between(Instant from, Instant to, int limit) {
        List<Instant> due = new ArrayList<>();
        Optional<Instant> next = nextAfter(from);
        while (next.isPresent() && !next.get().isAfter(to)) {
            due.add(next.get());
            if (due.size() > limit) {
                due.remove(0);
            }
            next = nextAfter(next.get());
        }
        return due;
    }

    /** The name Kubernetes gives the Job a CronJob starts at a scheduled time: {@code <cronjob>-<minutes>}. */
    public static String jobName(String cronJob, Instant scheduled) {
        return cronJob + "-" + scheduled.getEpochSecond() / 60;
    }
}
