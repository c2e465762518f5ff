package dev.modelops.common;

import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes-shaped conditions, written the way {@code kubectl wait} and Argo CD expect: one entry per type,
 * {@code lastTransitionTime} moved only when the status flips, {@code observedGeneration} on each.
 */
public final class Conditions {

    private Conditions() {
    }

    /**
     * The conditions with one set; the others are kept as they are, in their order. Setting a condition to what it
     * already says returns an equal list, so that a status computed twice is written once.
     */
    public static List<Condition> set(List<Condition> current, Enum<?> conditionType, ConditionStatus status,
            Enum<?> conditionReason, String message, Long observedGeneration, Instant now) {
        String type = conditionType.name();
        String reason = conditionReason.name();
        List<Condition> next = new ArrayList<>();
        boolean found = false;
        for (Condition existing : current == null ? List.<Condition>of() : current) {
            if (existing.getType().equals(type)) {
                found = true;
                String since = existing.getStatus() == status ? existing.getLastTransitionTime() : timestamp(now);
                next.add(condition(type, status, reason, message, observedGeneration, since));
            } else {
                next.add(existing);
            }
        }
        if (!found) {
            next.add(condition(type, status, reason, message, observedGeneration, timestamp(now)));
        }
        return next;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> c.getStatus() == ConditionStatus.True).orElse(false);
    }

    private static Condition condition(String type, ConditionStatus status, String reason, String message,
            Long observedGeneration, String lastTransitionTime) {
        Condition condition = new Condition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setReason(Objects.requireNonNull(reason, "a condition needs a reason"));
        condition.setMessage(message);
        condition.setObservedGeneration(observedGeneration);
        condition.setLastTransitionTime(lastTransitionTime);
        return condition;
    }

    /** RFC 3339 in whole seconds, as the API server writes times. */
    public static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
