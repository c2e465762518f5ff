package dev.modelops.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The champion changes hands one step at a time, through the model's record. */
class ChampionRulesTest {

    private static final ChampionRecord NONE_YET = null;

    @Test
    void theFirstDeployedVersionCreatesTheRecord() {
        assertEquals(new ChampionRules.Claim.Write(new ChampionRecord("v1", null, null)),
                ChampionRules.claim("v1", Optional.ofNullable(NONE_YET), false));
    }

    @Test
    void aVersionTheRecordNamesIsTheChampion() {
        assertEquals(new ChampionRules.Claim.Champion(),
                ChampionRules.claim("v1", Optional.of(new ChampionRecord("v1", null, "7")), true));
    }

    @Test
    void aSecondVersionClaimsTheSuccessionAtTheVersionItRead() {
        assertEquals(new ChampionRules.Claim.Write(new ChampionRecord("v1", "v2", "7")),
                ChampionRules.claim("v2", Optional.of(new ChampionRecord("v1", null, "7")), true));
    }

    @Test
    void theSuccessorWaitsForTheChampionToStepDownAndAThirdWaitsItsTurn() {
        ChampionRecord handingOver = new ChampionRecord("v1", "v2", "8");
        assertEquals(new ChampionRules.Claim.Wait("waiting for ModelVersion v1, the champion, to step down"),
                ChampionRules.claim("v2", Optional.of(handingOver), true));
        assertEquals(new ChampionRules.Claim.Wait("waiting: ModelVersion v2 is taking over from ModelVersion v1 first"),
                ChampionRules.claim("v3", Optional.of(handingOver), true));
    }

    @Test
    void aDeletedChampionOrAnEmptyRecordLeavesThePlaceFree() {
        assertEquals(new ChampionRules.Claim.Write(new ChampionRecord("v2", null, "9")),
                ChampionRules.claim("v2", Optional.of(new ChampionRecord("v1", "v3", "9")), false));
        assertEquals(new ChampionRules.Claim.Write(new ChampionRecord("v2", null, "9")),
                ChampionRules.claim("v2", Optional.of(new ChampionRecord(null, null, "9")), false));
    }

    @Test
    void theChampionStepsDownForItsSuccessorAndHandsTheRecordOver() {
        Optional<ChampionRecord> record = Optional.of(new ChampionRecord("v1", "v2", "8"));
        assertEquals(Optional.of("v2"), ChampionRules.supersededBy("v1", record));
        assertEquals(Optional.of(new ChampionRecord("v2", null, "8")), ChampionRules.steppedDown("v1", record));
        assertEquals(Optional.empty(), ChampionRules.steppedDown("v2", record), "only the champion hands over");
    }

    @Test
    void aRetiredChampionWithNoSuccessorLeavesTheModelWithoutOne() {
        Optional<ChampionRecord> record = Optional.of(new ChampionRecord("v1", null, "8"));
        assertEquals(Optional.empty(), ChampionRules.supersededBy("v1", record));
        assertEquals(Optional.of(new ChampionRecord(null, null, "8")), ChampionRules.steppedDown("v1", record));
    }

    @Test
    void aChampionTheRecordNoLongerNamesIsSupersededByTheOneItNames() {
        assertEquals(Optional.of("v5"), ChampionRules.supersededBy("v1",
                Optional.of(new ChampionRecord("v5", null, "3"))));
    }

    @Test
    void aDeployThatEndedWithdrawsItsClaim() {
        Optional<ChampionRecord> record = Optional.of(new ChampionRecord("v1", "v2", "8"));
        assertEquals(Optional.of(new ChampionRecord("v1", null, "8")), ChampionRules.withdrawn("v2", record));
        assertEquals(Optional.empty(), ChampionRules.withdrawn("v3", record));
    }
}
