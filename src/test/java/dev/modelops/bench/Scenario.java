package dev.modelops.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * One kind of work the benchmark scales: the user's object of each unit, how the user sees it finished, what the
 * operator launches for it and the baseline that does the same API work without the operator. The ModelVersion and
 * BatchPrediction controllers add their scenarios by implementing this.
 *
 * @param <T> the kind the user creates, one per unit
 */
interface Scenario<T extends HasMetadata> {

    /** A short name for the report and {@code BENCH_SCENARIOS}, such as {@code modeljob-evaluate}. */
    String name();

    /** What N counts, for the report's heading, such as {@code N units created at once, each ...}. */
    String description();

    /** What a unit is in the summary line's keys, such as {@code writes_per_version}. */
    default String unitNoun() {
        return "unit";
    }

    /** What the latency runs to from the unit's create, for the report, such as {@code Job created}. */
    default String latencyEnd() {
        return "Job created";
    }

    /** The sizes it runs at unless {@code BENCH_N} says otherwise. */
    default List<Integer> defaultSizes() {
        return List.of(100, 1000);
    }

    /** Units created per second in the latency phase unless {@code BENCH_LATENCY_RATE} says otherwise. */
    default int latencyRate() {
        return 100;
    }

    /** How much longer than two minutes the N units may take, per unit, before the run fails. */
    default Duration timeoutPerUnit() {
        return Duration.ofMillis(100);
    }

    /** How many units the unreported warm-up of the harness runs through the baseline. */
    default int warmUpUnits() {
        return 300;
    }

    Class<T> unitType();

    /** Creates what every unit needs before the timing starts, such as the ModelVersion that ModelJobs name. */
    void prepare(KubernetesClient client);

    /** The user's object of unit {@code index}, with a name unique in the run. */
    T unit(String prefix, int index);

    /** Whether the unit is done as its user waits for it: succeeded, with its result and logs kept. */
    boolean finished(T unit);

    /**
     * The mean number of timeline entries (hence at most how many Events) that the finished units hold, read when they
     * have finished; the client may read what belongs to them, such as a ModelVersion's ModelJobs.
     */
    double meanTimelineEntries(KubernetesClient client, Collection<T> finished);

    /** The kind the operator creates when it starts a unit, such as a batch/v1 Job; latency ends at its creation. */
    Class<? extends HasMetadata> launchedType();

    /** The unit that a launched object belongs to, by name, or null when it belongs to none. */
    String unitOf(HasMetadata launched);

    /** The same API work as the operator's, done by hand with one client, started and then closed by the runner. */
    AutoCloseable startBaseline(KubernetesClient client);
}
