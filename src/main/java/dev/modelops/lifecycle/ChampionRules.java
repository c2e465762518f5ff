package dev.modelops.lifecycle;

import java.util.Optional;

/**
 * How the champion of a model changes hands, one step at a time, through its {@link ChampionRecord}, so that no
 * client ever sees two versions of one model that both say they are the champion: a deploying version claims the
 * record as the successor; the champion sees its successor, steps down (its status says so first) and only then
 * writes the successor into the record; the successor becomes the champion once the record names it. A version that
 * finds a claim under way waits its turn.
 */
public final class ChampionRules {

    /** What a deploying version does about the record. */
    public sealed interface Claim {
        /** Write the record (create it when it does not exist). */
        record Write(ChampionRecord next) implements Claim {
        }

        /** The record names this version: it is the champion. */
        record Champion() implements Claim {
        }

        /** Another hand-over is under way, or this one waits for the champion to step down. */
        record Wait(String message) implements Claim {
        }
    }

    private ChampionRules() {
    }

    /**
     * @param championExists whether the version the record names as champion still exists; a deleted champion
     *                       cannot step down, so its place is free
     */
    public static Claim claim(String version, Optional<ChampionRecord> record, boolean championExists) {
        if (record.isEmpty()) {
            return new Claim.Write(new ChampionRecord(version, null, null));
        }
        ChampionRecord current = record.get();
        if (current.names(version)) {
            return new Claim.Champion();
        }
        if (current.champion() == null || !championExists) {
            return new Claim.Write(current.then(version, null));
        }
        if (!current.hasSuccessor()) {
            return new Claim.Write(current.then(current.champion(), version));
        }
        if (current.successor().equals(version)) {
            return new Claim.Wait("waiting for ModelVersion " + current.champion() + ", the champion, to step down");
        }
        return new Claim.Wait("waiting: ModelVersion " + current.successor() + " is taking over from ModelVersion "
                + current.champion() + " first");
    }

    /** The version that takes this champion's place, when the record says another one should. */
    public static Optional<String> supersededBy(String version, Optional<ChampionRecord> record) {
        return record.flatMap(current -> current.names(version) ? Optional.ofNullable(current.successor())
                : Optional.ofNullable(current.champion()));
    }

    /** The record after this version stepped down: its successor, if any, is the champion. */
    public static Optional<ChampionRecord> steppedDown(String version, Optional<ChampionRecord> record) {
        return record.filter(current -> current.names(version))
                .map(current -> current.then(current.successor(), null));
    }

    /** The record after this version gave up a claim it no longer pursues (its deploy ended without it). */
    public static Optional<ChampionRecord> withdrawn(String version, Optional<ChampionRecord> record) {
        return record.filter(current -> version.equals(current.successor()))
                .map(current -> current.then(current.champion(), null));
    }
}
