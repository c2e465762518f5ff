package dev.modelops.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-02T14:50:07Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
            "2026-12-02T14:50:07.5Z", "2026-12-02T14:50:07.000001Z", "2026-12-02T14:50:07.123456789Z",
            "0001-01-01T00:00:00Z", "2026-12-02T14:50:07+02:00", "2026-12-02T14:50:07.25-05:30",
            "2026-12-02t14:50:07z", "2026-12-02T14:50:07.Z"})
    void readsWhatTheJdkReads(String text) {
        assertEquals(OffsetDateTime.parse(text).toInstant(), Rfc3339.instant(text));
    }

    @Test
    void readsTheApiServersFormatToTheNanosecond() {
        assertEquals(Instant.ofEpochSecond(1796223007L, 120_000), Rfc3339.instant("2026-12-02T14:50:07.00012Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026-12-02", "2026-13-02T14:50:07Z", "2023-02-29T14:50:07Z", "2026-12-02T24:00:00Z",
            "2026-12-02T14:60:07Z", "2026-12-02T14:50:07.1234567890Z", "2026-12-0xT14:50:07Z",
            "2026-12-02 14:50:07Z", "2026-12-02T14:50:07"})
    void refusesWhatTheJdkRefuses(String text) {
        assertThrows(DateTimeParseException.class, () -> OffsetDateTime.parse(text));
        assertThrows(DateTimeParseException.class, () -> Rfc3339.instant(text));
    }
}
