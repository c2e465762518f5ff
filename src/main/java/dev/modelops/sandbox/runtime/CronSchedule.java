package dev.modelops.sandbox.runtime;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/** A CronJob's schedule: standard five-field cron or a macro, in the CronJob's time zone. */
final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException when the schedule or the time zone cannot be read */
    static CronSchedule of(String schedule, String timeZone) {
        String expression = MACROS.getOrDefault(schedule.trim(), schedule.trim());
        ZoneId zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone);
        return new CronSchedule(ExecutionTime.forCron(PARSER.parse(expression)), zone);
    }

    /** The latest scheduled time at or before {@code now}. */
    Optional<Instant> lastAtOrBefore(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        if (at.getSecond() == 0 && at.getNano() == 0 && times.isMatch(at)) {
            return Optional.of(now);
        }
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    Optional<Instant> nextAfter(Instant now) {
        return times.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant);
    }
}
