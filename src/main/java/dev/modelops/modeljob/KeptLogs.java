package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.LogsRef;

import java.util.Map;
import java.util.Optional;

/**
 * What became of a job's logs: kept in a ConfigMap (its reference, and what it holds by pod name), or not kept and
 * why. Logs that cannot be kept never keep a job from ending or a stop from being applied.
 */
record KeptLogs(Optional<LogsRef> ref, Map<String, String> byPod, Optional<String> problem, boolean worthRetrying) {

    static KeptLogs kept(LogsRef ref, Map<String, String> byPod) {
        return new KeptLogs(Optional.of(ref), byPod, Optional.empty(), false);
    }

    static KeptLogs notKept(String problem, boolean worthRetrying) {
        return new KeptLogs(Optional.empty(), Map.of(), Optional.of(problem), worthRetrying);
    }
}
