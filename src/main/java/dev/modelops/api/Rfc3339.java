package dev.modelops.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * Reads the timestamps of Kubernetes objects ({@code 2026-12-02T14:50:07Z}, and {@code .000000Z} fractions in
 * MicroTime fields). The controllers read several on every reconcile, and a ModelVersion's reads one per ModelJob of
 * its history: {@link java.time.format.DateTimeFormatter} took about 6 % of the operator's CPU in the benchmark. The
 * API server's own format is read here directly; any other text goes to {@link OffsetDateTime#parse}, which accepts
 * what it accepts and refuses the rest with its own message.
 */
public final class Rfc3339 {

    private static final int SECONDS_LENGTH = "2026-12-02T14:50:07".length();
    private static final int MAX_FRACTION_DIGITS = 9;

    private Rfc3339() {
    }

    /**
     * @throws DateTimeParseException for a text that is not an RFC 3339 date-time
     */
    public static Instant instant(CharSequence text) {
        Instant read = utc(text);
        return read != null ? read : OffsetDateTime.parse(text).toInstant();
    }

    /** The instant of a {@code yyyy-MM-ddTHH:mm:ss[.f...]Z} text, or null for anything else. */
    private static Instant utc(CharSequence text) {
        int length = text.length();
        if (length < SECONDS_LENGTH + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        int fractionDigits = length - 1 - SECONDS_LENGTH - 1;
        if (length > SECONDS_LENGTH + 1) {
            if (text.charAt(SECONDS_LENGTH) != '.' || fractionDigits < 1 || fractionDigits > MAX_FRACTION_DIGITS) {
                return null;
            }
            int fraction = digits(text, SECONDS_LENGTH + 1, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < MAX_FRACTION_DIGITS; i++) {
                nanos *= 10;
            }
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The number written by {@code count} ASCII digits from {@code start}, or -1 if one is not a digit. */
    private static int digits(CharSequence text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
