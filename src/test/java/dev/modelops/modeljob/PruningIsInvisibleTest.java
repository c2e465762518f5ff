package dev.modelops.modeljob;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.cache.PrunedCaches;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.modelops.modeljob.Fixtures.T0;
import static dev.modelops.modeljob.Fixtures.job;
import static dev.modelops.modeljob.Fixtures.modelJob;
import static dev.modelops.modeljob.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The operator caches Jobs and pods pruned to the fields it reads. Every status computed from the pruned copies
 * equals the one computed from the whole objects; this fails as soon as the controller reads a field the cache drops.
 */
class PruningIsInvisibleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> observations() {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        Job active = job(modelJob).active(1).build();
        Job complete = job(modelJob).complete(20).counts(1, 1).build();
        Job failed = job(modelJob).failed("BackoffLimitExceeded", "backoff limit reached", 30, 2).build();
        Job deadline = job(modelJob).failureTarget("DeadlineExceeded", 40).active(1).build();
        Job noPod = job(modelJob).build();
        return Stream.of(
                Arguments.of("running", active, List.of(pod("train-1-a", active).scheduled(3).running(5).build())),
                Arguments.of("pulling", active, List.of(pod("train-1-a", active).scheduled(3)
                        .waiting("ErrImagePull", "not found").build())),
                Arguments.of("unschedulable", active, List.of(pod("train-1-a", active).unschedulable("no gpu").build())),
                Arguments.of("retried and succeeded", complete, List.of(
                        pod("train-1-z", complete).scheduled(3).failed(1, "Error", 4, 8).build(),
                        pod("train-1-a", complete).scheduled(9).succeeded("{\"metrics\":{\"auc\":0.9}}", 10, 19)
                                .build())),
                Arguments.of("out of memory", failed, List.of(pod("train-1-z", failed).failed(1, "Error", 4, 8).build(),
                        pod("train-1-a", failed).failed(137, "OOMKilled", 10, 29).build())),
                Arguments.of("deadline passing", deadline, List.of(pod("train-1-a", deadline).running(5).build())),
                Arguments.of("no pod", noPod, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observations")
    void theStatusFromPrunedObjectsIsTheStatusFromWholeOnes(String name, Job job, List<Pod> pods) throws Exception {
        ModelJob modelJob = modelJob("train-1", JobType.Train);
        var whole = new ModelJobStatusAggregator().next(observation(modelJob, job, pods));
        var pruned = new ModelJobStatusAggregator().next(observation(modelJob, PrunedCaches.job(job),
                pods.stream().map(PrunedCaches::pod).toList()));

        assertEquals(JSON.writeValueAsString(whole.status()), JSON.writeValueAsString(pruned.status()));
    }

    private static Observation observation(ModelJob modelJob, Job job, List<Pod> pods) {
        return new Observation(modelJob, Optional.of(ModelJobs.version("churn-v3")),
                Children.of(modelJob, Optional.of(job), pods), Launch.none(), Optional.empty(), Optional.empty(),
                T0.plusSeconds(45), ModelJobStatusAggregatorTest.POD_TIMEOUT);
    }
}
