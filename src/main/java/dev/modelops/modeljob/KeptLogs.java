package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.LogsRef;

import java.util.Map;

/** The ConfigMap holding the end of each pod's log, and what it holds, by pod name. */
record KeptLogs(LogsRef ref, Map<String, String> byPod) {
}
