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
}
