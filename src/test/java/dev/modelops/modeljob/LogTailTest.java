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

    @Test
    void invalidUtf8IsReplacedAndTheTailStaysWithinItsBytes() throws Exception {
        // Each invalid byte becomes U+FFFD, three bytes in UTF-8: the kept text must still fit the bound.
        byte[] binary = new byte[600_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (0x80 + i % 0x7F);
        }

        LogTail tail = LogTail.read(new java.io.ByteArrayInputStream(binary), 262_144);

        assertTrue(tail.truncated());
        assertTrue(tail.text().getBytes(StandardCharsets.UTF_8).length <= 262_144,
                tail.text().getBytes(StandardCharsets.UTF_8).length + " bytes");
        assertTrue(tail.text().chars().allMatch(c -> c == 0xFFFD), "only replacement characters");
    }

    @Test
    void aShortBinaryLogIsKeptReplacedAndWithinItsBytes() throws Exception {
        byte[] binary = new byte[256 * 40];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }

        LogTail tail = LogTail.read(new java.io.ByteArrayInputStream(binary), 16_384);

        byte[] kept = tail.text().getBytes(StandardCharsets.UTF_8);
        assertTrue(kept.length <= 16_384, kept.length + " bytes");
        assertTrue(tail.truncated(), "the replacement characters made it longer than the bound: its start was cut");
        assertTrue(tail.text().contains("\u0000") && tail.text().contains("\uFFFD") && tail.text().contains("A"));
        assertEquals(tail.text(), new String(kept, StandardCharsets.UTF_8), "valid UTF-8");
    }

    @Test
    void aLineLongerThanTheBoundIsKeptFromTheCutNotDropped() throws Exception {
        String log = "x".repeat(1_000_000) + "\nthe end\n";

        LogTail tail = LogTail.read(new java.io.ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), 262_144);

        assertTrue(tail.truncated());
        assertEquals(262_144, tail.text().length());
        assertTrue(tail.text().endsWith("x\nthe end\n"), tail.text().substring(tail.text().length() - 20));
        assertEquals(LogTail.of(log, 262_144), tail);
    }
}
