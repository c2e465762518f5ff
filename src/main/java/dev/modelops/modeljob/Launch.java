package dev.modelops.modeljob;

import java.util.Optional;

/** What became of the launch of a ModelJob's Job in one reconcile. */
sealed interface Launch {

    /** Nothing was due. */
    record None() implements Launch {
    }

    /**
     * The Job is about to be created: the status names it first, so that it is never created twice.
     *
     * @param notRestricted what of its pod breaks Pod Security "restricted", if anything: said in a Warning
     */
    record Intended(Optional<String> notRestricted) implements Launch {
    }

    /** The Job was created. */
    record Launched() implements Launch {
    }

    /** The Job cannot be created, now or later: the ModelJob fails. */
    record Refused(FailureReason reason, String message) implements Launch {
    }

    /** The Job was not created and is tried again later; the ModelJob says why it waits. */
    record Held(StartReason reason, ModelJobReason event, String message) implements Launch {
    }

    static Launch none() {
        return new None();
    }
}
