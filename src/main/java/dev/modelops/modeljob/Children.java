package dev.modelops.modeljob;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.common.Owners;
import dev.modelops.lifecycle.JobLifecycle;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The Job and pods that are the ModelJob's own. Names and labels say where to look; the owner references say whose
 * an object is: a ModelJob created again under the name of a deleted one never takes over its predecessor's Job,
 * pods or record. A Job of the ModelJob's name that another owns is kept apart, because it blocks the launch.
 */
record Children(Optional<Job> job, Optional<Job> foreignJob, List<Pod> pods) {

    private static final Duration POD_LAG_LIMIT = Duration.ofSeconds(10);

    static Children of(ModelJob modelJob, Optional<Job> named, Collection<Pod> labelled) {
        Optional<Job> own = named.filter(job -> Owners.ownedBy(job, modelJob) || JobLifecycle.adopts(modelJob, job));
        Optional<Job> foreign = named.filter(job -> own.isEmpty());
        List<Pod> pods = own.map(job -> labelled.stream().filter(pod -> Owners.ownedBy(pod, job))
                .toList()).orElse(List.of());
        return new Children(own, foreign, pods);
    }

    /** The Job reached Complete or Failed. */
    boolean jobFinished() {
        return job.map(BatchJobs::finished).orElse(false);
    }

    /**
     * Whether the Job has ended pods that the cache does not show ended yet. Jobs and pods come on two watches, and
     * the Job's end can arrive first; ending the ModelJob then would lose the deciding pod's result and log. A pod
     * that never shows up (deleted meanwhile) is waited for only so long.
     */
    boolean lagBehind(Instant now) {
        return job.filter(BatchJobs::finished)
                .filter(finished -> pods.stream().filter(pod -> Pods.terminated(pod).isPresent()).count()
                        < BatchJobs.endedPods(finished))
                .flatMap(BatchJobs::finishedAt).map(at -> now.isBefore(at.plus(POD_LAG_LIMIT))).orElse(false);
    }
}
