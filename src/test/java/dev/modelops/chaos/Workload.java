package dev.modelops.chaos;

/**
 * One kind of work the chaos run gives the operator: what it creates, how it acts on what it sees (stop a job that
 * runs, approve a version that waits, fire a run now), when it has reached its end, and what is wrong at the end.
 */
interface Workload {

    /** Creates what it starts with. */
    void start(HarnessApi api);

    /** After the {@code kill}-th kill, while no operator runs: new work the restarted operator finds waiting. */
    default void afterKill(int kill, HarnessApi api) {
    }

    /** Acts on what it sees now; called every few hundred milliseconds while the run goes. */
    void step(Snapshot seen, HarnessApi api);

    /** Whether everything it waits for is where it should end. */
    boolean settled(Snapshot seen);

    /** What a user would find wrong at the end. */
    void check(Snapshot end, Launches launches, Defects defects);
}
