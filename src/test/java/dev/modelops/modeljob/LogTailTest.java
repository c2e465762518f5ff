package dev.modelops.modeljob;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTailTest {

    @Test
    void aShortLogIsKeptWhole() {
        LogTail tail = LogTail.of("epoch 1\nepoch 2\n", 1024);

        assertEquals("epoch 1\nepoch 2\n", tail.text());
        assertFalse(tail.truncated());
    }

    @Test
    void aLongLogKeepsItsLastWholeLinesWithinTheBound() {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            log.append("epoch ").append(i).append('\n');
        }

        LogTail tail = LogTail.of(log.toString(), 100);

        assertTrue(tail.truncated());
        assertTrue(tail.text().getBytes(StandardCharsets.UTF_8).length <= 100);
        assertTrue(tail.text().startsWith("epoch "), tail.text());
        assertTrue(tail.text().endsWith("epoch 1000\n"), tail.text());
    }

    @Test
    void aCutNeverSplitsACharacter() {
        LogTail tail = LogTail.of("ééééééééééé", 5);

        assertTrue(tail.truncated());
        assertTrue(tail.text().chars().allMatch(c -> c == 'é'), tail.text());
        assertTrue(tail.text().getBytes(StandardCharsets.UTF_8).length <= 5);
    }

    @Test
    void aStreamedLogGivesTheSameTailAsTheWholeLogWithoutHoldingIt() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; log.length() < 3_000_000; i++) {
            log.append("step ").append(i).append(" loss=0.").append(i % 97).append(" \u00e9t\u00e9\n");
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);

        LogTail streamed = LogTail.read(new java.io.ByteArrayInputStream(bytes), 262_144);

        assertEquals(LogTail.of(log.toString(), 262_144), streamed);
        assertTrue(streamed.truncated());
        assertTrue(streamed.text().endsWith("\n") && streamed.text().startsWith("step "), streamed.text().substring(0, 20));
    }

    @Test
    void aStreamedShortLogIsKeptWhole() throws Exception {
        LogTail tail = LogTail.read(new java.io.ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8)), 1024);

        assertEquals(new LogTail("one\ntwo\n", false), tail);
    }
}
