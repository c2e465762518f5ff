package dev.modelops.testing;

import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.sandbox.server.FaultPlan;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The operator against an API server that misbehaves as real ones do now and then: a fresh embedded API server and
 * simulated runtime on the wall clock, and a plain JOSDK operator whose client (and only it: not the runtime playing
 * the cluster, not the test's user) gets a seeded share of faults. The plan is printed; {@code -Dmodelops.faults.seed}
 * repeats a run's faults (for the same order of requests).
 */
public abstract class OperatorUnderFaultsTest {

    public static final long SEED = Long.getLong("modelops.faults.seed", 20_261_202L);
    public static final double SHARE = 0.1;

    protected EmbeddedApiServer server;
    protected SimulatedCluster cluster;
    /** A person's client: never faulted, so that what the test reads is the truth. */
    protected KubernetesClient client;
    private KubernetesClient operatorClient;
    private Operator operator;

    /** Registers the controllers under test, as the application does. */
    protected abstract void register(Operator operator, JobSettings settings);

    /** The faults from the start; a test may switch them with {@code server.faults(...)}. */
    protected FaultPlan plan() {
        return FaultPlan.seeded(SEED, SHARE);
    }

    @BeforeEach
    void startUnderFaults() {
        server = EmbeddedApiServer.start(0);
        cluster = SimulatedCluster.start(server, SandboxClock.system());
        client = server.newClient("test-user/1");
        // The faults begin once the operator has started: a refused first list stops JOSDK's start and the process
        // exits, to be started again by Kubernetes; the chaos suite, whose operators are processes, covers that.
        startOperator();
        FaultPlan plan = plan();
        server.faults(plan);
        System.out.println(getClass().getSimpleName() + ": " + plan.describe() + " (-Dmodelops.faults.seed=" + SEED
                + " repeats it)");
    }

    private void startOperator() {
        operatorClient = server.newClient(FaultPlan.OPERATOR + "/test");
        TestJobSettings settings = TestJobSettings.defaults();
        operator = PlainOperators.create(operatorClient, settings, overrider -> { });
        register(operator, settings);
        operator.start();
    }

    private void stopOperator() {
        operator.stop();
        operatorClient.close();
    }

    @AfterEach
    void stopAll() {
        System.out.println(getClass().getSimpleName() + ": faults injected: " + server.faultCounts());
        stopOperator();
        cluster.close();
        client.close();
        OperatorRequests.keep(server);
        server.close();
    }
}
