package dev.modelops.sandbox.runtime;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process's log keeps its newest lines within a bound and counts the ones it let go. */
class ProcessLogsAreBoundedTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theOldestLinesGoOnceTheBoundIsPassedAndAreCounted() {
        PrintedLines lines = new PrintedLines(10 * (32 + "line 00\n".length()));
        for (int i = 0; i < 25; i++) {
            lines.add(AT.plusSeconds(i), "line %02d".formatted(i));
        }

        ContainerRun.Printed printed = lines.snapshot();

        assertEquals(15, printed.dropped());
        assertEquals(10, printed.lines().size());
        assertEquals("line 15\n", printed.lines().get(0).text());
        assertEquals(AT.plusSeconds(24), printed.lines().get(9).at());
    }

    @Test
    void theTailForFallbackToLogsOnErrorIsTheLastLinesWithinTheBytes() {
        PrintedLines lines = new PrintedLines(1 << 20);
        for (int i = 0; i < 100; i++) {
            lines.add(AT, "line " + i);
        }

        assertEquals("line 98\nline 99\n", lines.tail(2, 2048));
        assertEquals("99\n", lines.tail(80, 3));
        assertTrue(lines.tail(80, 2048).startsWith("line 20\n"));
    }
}
