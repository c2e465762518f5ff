package dev.modelops.common;

import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.ConditionStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionsTest {

    private static final Instant T1 = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final Instant T2 = Instant.parse("2026-11-25T10:05:00Z");

    @Test
    void aNewConditionStartsItsTransitionNowInWholeSeconds() {
        List<Condition> conditions = Conditions.set(null, Type.Started, ConditionStatus.True, Reason.PodRunning, "running", 1L, T1);

        Condition started = conditions.get(0);
        assertEquals("Started", started.getType());
        assertEquals(ConditionStatus.True, started.getStatus());
        assertEquals("PodRunning", started.getReason());
        assertEquals(1L, started.getObservedGeneration());
        assertEquals("2026-11-25T10:00:00Z", started.getLastTransitionTime());
    }

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusFlips() {
        List<Condition> first = Conditions.set(null, Type.Complete, ConditionStatus.False, Reason.Running, "still running", 1L, T1);

        List<Condition> same = Conditions.set(first, Type.Complete, ConditionStatus.False, Reason.Running, "still running", 1L, T2);
        List<Condition> reworded = Conditions.set(first, Type.Complete, ConditionStatus.False, Reason.Pending, "waiting", 1L, T2);
        List<Condition> flipped = Conditions.set(first, Type.Complete, ConditionStatus.True, Reason.Succeeded, "done", 1L, T2);

        assertEquals(Serialization.asJson(first), Serialization.asJson(same), "setting what it says changes nothing");
        assertEquals("2026-11-25T10:00:00Z", reworded.get(0).getLastTransitionTime());
        assertEquals("Pending", reworded.get(0).getReason());
        assertEquals("2026-11-25T10:05:00Z", flipped.get(0).getLastTransitionTime());
    }

    @Test
    void otherConditionsKeepTheirPlaceAndValues() {
        List<Condition> conditions = Conditions.set(null, Type.Started, ConditionStatus.True, Reason.PodRunning, null, 1L, T1);
        conditions = Conditions.set(conditions, Type.Complete, ConditionStatus.False, Reason.Running, null, 1L, T1);

        conditions = Conditions.set(conditions, Type.Started, ConditionStatus.True, Reason.PodRunning, "again", 2L, T2);

        assertEquals(List.of("Started", "Complete"), conditions.stream().map(Condition::getType).toList());
        assertEquals(2L, conditions.get(0).getObservedGeneration());
        assertEquals(1L, conditions.get(1).getObservedGeneration());
        assertTrue(Conditions.isTrue(conditions, "Started"));
        assertFalse(Conditions.isTrue(conditions, "Complete"));
        assertFalse(Conditions.isTrue(conditions, "Cancelled"));
    }

    @Test
    void aConditionWithoutAReasonIsRefused() {
        assertThrows(NullPointerException.class,
                () -> Conditions.set(null, Type.Failed, ConditionStatus.True, (Reason) null, "no reason", 1L, T1));
    }

    private enum Type { Started, Complete, Failed }

    private enum Reason { PodRunning, Running, Pending, Succeeded }
}
