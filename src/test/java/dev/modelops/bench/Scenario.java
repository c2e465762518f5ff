package dev.modelops.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One kind of work the benchmark scales: the user's object of each unit, how the user sees it finished, what the
 * operator launches for it and the baseline that does the same API work without the operator. The ModelVersion and
 * BatchPrediction controllers add their scenarios by implementing this.
 *
 * @param <T> the kind the user creates, one per unit
 */
interface Scenario<T extends HasMetadata> {

    /** A short name for the report, such as {@code modeljob-evaluate}. */
    String name();

    Class<T> unitType();

    /** Creates what every unit needs before the timing starts, such as the ModelVersion that ModelJobs name. */
    void prepare(KubernetesClient client);

    /** The user's object of unit {@code index}, with a name unique in the run. */
    T unit(String prefix, int index);

    /** Whether the unit is done as its user waits for it: succeeded, with its result and logs kept. */
    boolean finished(T unit);

    /** How many timeline entries (hence at most how many Events) the finished unit holds. */
    int timelineEntries(T unit);

    /** The kind the operator creates when it starts a unit, such as a batch/v1 Job; latency ends at its creation. */
    Class<? extends HasMetadata> launchedType();

    /** The unit that a launched object belongs to, by name, or null when it belongs to none. */
    String unitOf(HasMetadata launched);

    /** The same API work as the operator's, done by hand with one client, started and then closed by the runner. */
    AutoCloseable startBaseline(KubernetesClient client);
}
