package dev.modelops.sandbox.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fault plan decides from its seed alone, in the share it was given, only faults that a request can meet. */
class FaultPlanTest {

    private static final Set<FaultKind> ANY = EnumSet.allOf(FaultKind.class);
    private static final Set<FaultKind> READ = EnumSet.of(FaultKind.TOO_MANY_REQUESTS, FaultKind.INTERNAL_ERROR,
            FaultKind.SERVICE_UNAVAILABLE, FaultKind.SLOW);

    @Test
    void theSameSeedGivesTheSameDecisionsAndAnotherSeedOthers() {
        assertEquals(decisions(FaultPlan.seeded(42, 0.1), 10_000), decisions(FaultPlan.seeded(42, 0.1), 10_000));
        assertNotEquals(decisions(FaultPlan.seeded(42, 0.1), 10_000), decisions(FaultPlan.seeded(43, 0.1), 10_000));
        assertEquals(FaultPlan.seeded(42, 0.1).decide(7_777, ANY),
                FaultPlan.seeded(42, 0.1).forUserAgentPrefix("other").decide(7_777, ANY),
                "the k-th decision depends on the seed and k only");
    }

    @Test
    void aShareOfRequestsIsFaultedWithEveryKindInTheirRanges() {
        List<Optional<FaultDecision>> decisions = decisions(FaultPlan.seeded(42, 0.1), 20_000);
        List<FaultDecision> faulted = decisions.stream().flatMap(Optional::stream).toList();
        assertTrue(faulted.size() > 1_800 && faulted.size() < 2_200, faulted.size() + " of 20000 faulted");
        Map<FaultKind, Long> byKind = faulted.stream().collect(Collectors.groupingBy(FaultDecision::kind,
                Collectors.counting()));
        assertEquals(ANY, byKind.keySet());
        byKind.values().forEach(count -> assertTrue(count > 250, byKind.toString()));
        faulted.stream().filter(d -> d.kind() == FaultKind.SLOW).forEach(d -> assertTrue(
                d.delay().compareTo(Duration.ofMillis(50)) >= 0 && d.delay().compareTo(Duration.ofMillis(500)) <= 0,
                d.toString()));
        faulted.stream().filter(d -> d.kind() == FaultKind.WATCH_CLOSE).forEach(d -> assertTrue(
                d.events() >= 1 && d.events() <= 20 && d.delay().toMillis() >= 200 && d.delay().toMillis() <= 3000,
                d.toString()));
    }

    @Test
    void aRequestOnlyGetsTheFaultsItCanMeet() {
        FaultPlan plan = FaultPlan.seeded(7, 1.0);
        Set<FaultKind> seen = LongStream.range(0, 1_000).mapToObj(k -> plan.decide(k, READ).orElseThrow().kind())
                .collect(Collectors.toSet());
        assertEquals(READ, seen, "every request faulted, none with a 409 or a watch close");
        assertEquals(Optional.empty(), plan.only(FaultKind.CONFLICT).decide(0, READ));
        assertTrue(LongStream.range(0, 1_000).allMatch(k -> plan.only(FaultKind.SLOW).decide(k, READ).orElseThrow()
                .kind() == FaultKind.SLOW));
    }

    @Test
    void noPlanFaultsNothing() {
        assertTrue(decisions(FaultPlan.none(), 10_000).stream().allMatch(Optional::isEmpty));
        assertTrue(decisions(FaultPlan.seeded(42, 0), 10_000).stream().allMatch(Optional::isEmpty));
        assertEquals("faults: none", FaultPlan.none().describe());
        assertTrue(FaultPlan.seeded(42, 0.1).appliesTo("modelops-operator/0.1.0"));
        assertTrue(!FaultPlan.seeded(42, 0.1).appliesTo("modelops-sandbox/0.1.0")
                && !FaultPlan.seeded(42, 0.1).appliesTo(null) && !FaultPlan.none().appliesTo("modelops-operator/1"));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.seeded(1, 1.5));
    }

    @Test
    void thePlanDescribesItselfOnOneLine() {
        assertEquals("faults: seed=42 share=0.05 kinds=409,429,500,503,slow,watch-close client=modelops-operator",
                FaultPlan.seeded(42, 0.05).describe());
        assertEquals("faults: seed=-3 share=1.0 kinds=429,watch-close client=kubectl",
                FaultPlan.seeded(-3, 1).only(FaultKind.WATCH_CLOSE, FaultKind.TOO_MANY_REQUESTS)
                        .forUserAgentPrefix("kubectl").describe());
    }

    @Test
    void countsNameEachKind() {
        FaultCounts counts = new FaultCounts(Map.of(FaultKind.CONFLICT, 2L, FaultKind.SLOW, 3L));
        assertEquals(5, counts.total());
        assertEquals(0, counts.count(FaultKind.WATCH_CLOSE));
        assertEquals("409=2 429=0 500=0 503=0 slow=3 watch-close=0 total=5", counts.toString());
    }

    private static List<Optional<FaultDecision>> decisions(FaultPlan plan, int requests) {
        return LongStream.range(0, requests).mapToObj(k -> plan.decide(k, ANY)).toList();
    }
}
