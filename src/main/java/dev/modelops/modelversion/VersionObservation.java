package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.lifecycle.ChampionRecord;
import dev.modelops.lifecycle.GateInputs;
import dev.modelops.lifecycle.StepJob;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the ModelVersion controller knows of a version at one reconcile: the version, its ModelJobs (its history),
 * its model's champion record, whether the champion that record names still exists and what it measured, and its
 * online serving.
 */
record VersionObservation(ModelVersion version, List<StepJob> jobs, Optional<ChampionRecord> record,
        boolean championExists, Optional<GateInputs.Champion> champion, Serving serving, Instant now) {
}
