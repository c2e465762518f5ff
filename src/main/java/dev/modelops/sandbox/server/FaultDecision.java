package dev.modelops.sandbox.server;

import java.time.Duration;

/**
 * The fault one request gets.
 *
 * @param kind what goes wrong
 * @param delay {@link FaultKind#SLOW}: how long the answer waits; {@link FaultKind#WATCH_CLOSE}: the longest the
 *     watch lasts; zero otherwise
 * @param events {@link FaultKind#WATCH_CLOSE}: the events the watch sends before it ends; zero otherwise
 */
public record FaultDecision(FaultKind kind, Duration delay, int events) {

    static FaultDecision refusal(FaultKind kind) {
        return new FaultDecision(kind, Duration.ZERO, 0);
    }

    static FaultDecision slow(Duration delay) {
        return new FaultDecision(FaultKind.SLOW, delay, 0);
    }

    static FaultDecision watchClose(int events, Duration atMost) {
        return new FaultDecision(FaultKind.WATCH_CLOSE, atMost, events);
    }
}
