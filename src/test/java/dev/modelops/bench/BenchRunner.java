package dev.modelops.bench;

import dev.modelops.common.OperatorUserAgent;
import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.ApiRequestCounts;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one scenario at one size, each part against a fresh embedded API server and simulated runtime: the baseline,
 * then the operator (throughput and API cost), a restart of the operator with the units in the API (start to Ready,
 * idle writes, memory) and a steady stream of new units (latency).
 */
final class BenchRunner {

    static final String HARNESS = "modelops-bench";
    static final String BASELINE = "modelops-baseline";
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final BenchSettings settings;

    BenchRunner(BenchSettings settings) {
        this.settings = settings;
    }

    <T extends HasMetadata> SizeResult run(Scenario<T> scenario, int n, boolean measureIdle) throws Exception {
        BaselineRun baseline = baseline(scenario, n, true);
        progress("%s n=%d: baseline %.1f s", scenario.name(), n, SizeResult.seconds(baseline.timed().time()));
        try (Cluster cluster = new Cluster()) {
            scenario.prepare(cluster.harness);
            Timed operator;
            double timeline;
            try (OperatorProcess process = startOperator(cluster, scenario, n, "run");
                    Units<T> units = new Units<>(cluster.harness, scenario)) {
                process.awaitReady(Duration.ofMinutes(2));
                ApiRequestCounts before = cluster.operatorRequests();
                Duration operatorCpu = process.cpuTime();
                Duration harnessCpu = HarnessCpu.time();
                long start = System.nanoTime();
                submit(cluster.harness, scenario, "run", n);
                units.awaitFinished(n, timeout(scenario, n));
                Duration time = Duration.ofNanos(System.nanoTime() - start);
                awaitQuiet(cluster, OperatorUserAgent.PRODUCT);
                operator = new Timed(time, cluster.operatorRequests().minus(before),
                        new CpuTimes(process.cpuTime().minus(operatorCpu), HarnessCpu.time().minus(harnessCpu)));
                timeline = units.meanTimelineEntries();
            }
            progress("%s n=%d: operator %.1f s", scenario.name(), n, SizeResult.seconds(operator.time()));
            try (OperatorProcess restarted = startOperator(cluster, scenario, n, "restart")) {
                Duration ready = restarted.awaitReady(Duration.ofMinutes(10));
                awaitQuiet(cluster, OperatorUserAgent.PRODUCT);
                OptionalLong idleWrites = OptionalLong.empty();
                if (measureIdle) {
                    progress("%s n=%d: counting writes for %d s of idle resyncs", scenario.name(), n,
                            settings.idle().toSeconds());
                    ApiRequestCounts before = cluster.operatorRequests();
                    Thread.sleep(settings.idle().toMillis());
                    idleWrites = OptionalLong.of(cluster.operatorRequests().minus(before).writes());
                }
                double heap = restarted.heapAfterGcMiB();
                OptionalLong rss = restarted.rssMiB();
                Latencies latency = latency(cluster, scenario, scenario.name() + "-" + n + "-latency.csv");
                return new SizeResult(n, baseline.timed().time(), operator.time(), operator.requests(),
                        baseline.timed().requests(), operator.cpu(), baseline.timed().cpu(), timeline, ready,
                        idleWrites, heap, rss, latency, baseline.latency());
            }
        }
    }

    /**
     * The baseline at a small size, unreported, so that the harness's JVM (API server, runtime and baseline) loads and
     * compiles its code here and not in the first measured part, which would make that side look slower.
     */
    <T extends HasMetadata> void warmUp(Scenario<T> scenario, int n) throws Exception {
        progress("%s: warming up the harness with the baseline at n=%d (%.1f s)", scenario.name(), n,
                SizeResult.seconds(baseline(scenario, n, false).timed().time()));
    }

    /**
     * The baseline finishes n units; then, if asked, takes the same steady stream as the operator, so that the
     * operator's latency can be read against what the API server and runtime of this machine allow.
     */
    private <T extends HasMetadata> BaselineRun baseline(Scenario<T> scenario, int n, boolean withLatency)
            throws Exception {
        try (Cluster cluster = new Cluster();
                KubernetesClient client = cluster.server.newClient(BASELINE);
                Units<T> units = new Units<>(cluster.harness, scenario)) {
            scenario.prepare(cluster.harness);
            try (AutoCloseable baseline = scenario.startBaseline(client)) {
                ApiRequestCounts before = cluster.server.requests().snapshot(BASELINE);
                Duration harnessCpu = HarnessCpu.time();
                long start = System.nanoTime();
                submit(cluster.harness, scenario, "base", n);
                units.awaitFinished(n, timeout(scenario, n));
                Duration time = Duration.ofNanos(System.nanoTime() - start);
                awaitQuiet(cluster, BASELINE);
                Timed timed = new Timed(time, cluster.server.requests().snapshot(BASELINE).minus(before),
                        new CpuTimes(Duration.ZERO, HarnessCpu.time().minus(harnessCpu)));
                return new BaselineRun(timed, withLatency
                        ? latency(cluster, scenario, scenario.name() + "-" + n + "-baseline-latency.csv") : null);
            }
        }
    }

    /**
     * New units at a steady rate; each latency runs from just before its create to the launched object's ADDED. The
     * stream starts with a warm-up at the same rate whose units are not measured: the restarted operator has not yet
     * run (nor loaded and compiled) the code that launches, and a steady state is what the latency is of. Each
     * latency is also written, in the order its unit was created, to {@code csv} in the output directory.
     */
    private <T extends HasMetadata> Latencies latency(Cluster cluster, Scenario<T> scenario, String csv)
            throws Exception {
        Latencies latencies = new Latencies();
        Map<String, Long> measured = new ConcurrentHashMap<>();
        SharedIndexInformer<? extends HasMetadata> launched = informAdds(cluster.harness, scenario.launchedType(),
                object -> {
                    Long at = measured.get(String.valueOf(scenario.unitOf(object)));
                    if (at != null) {
                        latencies.add(at, (System.nanoTime() - at) / 1e6);
                    }
                });
        int rate = settings.latencyRate(scenario);
        int warmup = (int) (rate * settings.latencyWarmup().toSeconds());
        int count = (int) (rate * settings.latencyDuration().toSeconds());
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(4);
        try {
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < warmup + count; i++) {
                int index = i;
                creates.add(pacer.schedule(() -> {
                    T unit = scenario.unit(index < warmup ? "warmup" : "steady", index);
                    if (index >= warmup) {
                        measured.put(unit.getMetadata().getName(), System.nanoTime());
                    }
                    cluster.harness.resource(unit).create();
                }, period * i, TimeUnit.NANOSECONDS));
            }
            for (Future<?> create : creates) {
                create.get();
            }
            latencies.awaitCount(count, "units launched");
            latencies.write(settings.output().resolve(csv));
            return latencies;
        } finally {
            pacer.shutdownNow();
            launched.stop();
        }
    }

    private static <L extends HasMetadata> SharedIndexInformer<L> informAdds(KubernetesClient client, Class<L> type,
            Consumer<HasMetadata> onAdd) {
        return client.resources(type).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(L object) {
                onAdd.accept(object);
            }

            @Override
            public void onUpdate(L before, L object) {
            }

            @Override
            public void onDelete(L object, boolean unknownFinalState) {
            }
        }, 0);
    }

    private <T extends HasMetadata> void submit(KubernetesClient client, Scenario<T> scenario, String prefix, int n)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                T unit = scenario.unit(prefix, i);
                creates.add(pool.submit(() -> client.resource(unit).create()));
            }
            for (Future<?> create : creates) {
                create.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private OperatorProcess startOperator(Cluster cluster, Scenario<?> scenario, int n, String phase) throws Exception {
        Path log = settings.output().resolve(scenario.name() + "-" + n + "-" + phase + ".log");
        return OperatorProcess.start(settings.operatorJar(), settings.operatorJvmOptions(), cluster.server.url(),
                Map.of(
                        // Resyncs within the idle window, so that "idle writes" measures what a resync writes.
                        "quarkus.operator-sdk.controllers.modeljob.max-reconciliation-interval",
                        settings.resync().toString(),
                        "quarkus.operator-sdk.controllers.modelversion.max-reconciliation-interval",
                        settings.resync().toString()),
                log);
    }

    /** Waits until the client has sent nothing for a while: the last Events follow the last status write. */
    private static void awaitQuiet(Cluster cluster, String client) throws InterruptedException {
        long total = cluster.server.requests().snapshot(client).total();
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() - quietSince < QUIET.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = cluster.server.requests().snapshot(client).total();
            if (now != total) {
                total = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static Duration timeout(Scenario<?> scenario, int n) {
        return Duration.ofMinutes(2).plus(scenario.timeoutPerUnit().multipliedBy(n));
    }

    static void progress(String format, Object... args) {
        System.err.printf("[bench] %s %s%n", LocalTime.now().withNano(0), String.format(format, args));
    }

    private record Timed(Duration time, ApiRequestCounts requests, CpuTimes cpu) {
    }

    private record BaselineRun(Timed timed, Latencies latency) {
    }

    /** A fresh embedded API server with the simulated runtime, and the harness's own client. */
    private static final class Cluster implements AutoCloseable {
        final EmbeddedApiServer server = EmbeddedApiServer.start(0);
        final SimulatedCluster runtime = SimulatedCluster.start(server, SandboxClock.system());
        final KubernetesClient harness = server.newClient(HARNESS);

        ApiRequestCounts operatorRequests() {
            return server.requests().snapshot(OperatorUserAgent.PRODUCT);
        }

        @Override
        public void close() {
            harness.close();
            runtime.close();
            server.close();
        }
    }
}
