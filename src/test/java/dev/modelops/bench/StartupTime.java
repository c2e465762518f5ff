package dev.modelops.bench;

import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.testing.ContainerJvm;
import dev.modelops.testing.OperatorProcess;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How long a restarted operator takes to be Ready with N ended ModelJobs in the API (README, Benchmark): for each N,
 * an embedded API server and simulated runtime hold N ended Evaluate ModelJobs with everything they left (one run by
 * the packaged operator, the rest copied from it, {@link EndedJobCopies}); the packaged operator is then started
 * {@code STARTUP_RUNS} times with its image's JVM options and each start is timed to Ready, with where the time went
 * ({@link StartupPhases}, from its log) and how fast its first launches are ({@link FirstLaunches}); last, the
 * bare client's ({@link ModelJobBaseline}) start and first launches.
 * <p>
 * Run: {@code java -cp <test classpath> dev.modelops.bench.StartupTime}; {@code STARTUP_N} (default
 * {@code 100,10000}), {@code STARTUP_RUNS} (default 3), {@code STARTUP_AGE} ({@code fresh}, the default: the jobs
 * ended within the hour, their Jobs, pods and Events are still there; {@code hour}: an hour later, when the Jobs'
 * {@code ttlSecondsAfterFinished} and the Events' TTL have removed them, and only the ModelJobs and their logs
 * ConfigMaps are left), {@code STARTUP_VARIANTS} ({@code name=options;...}: JVM
 * options added to the image's, each variant started in turn with the image's so that all see the same load; an
 * option {@code @path} starts the packaged operator at that path instead), {@code STARTUP_TRAIN_ARCHIVE} (a path:
 * unless it exists, one start before the timed ones writes the classes it loaded there, a CDS archive for
 * {@code -XX:SharedArchiveFile}), {@code BENCH_OPERATOR_OPTS} (the operator's JVM options instead of its image's)
 * and {@code BENCH_OPERATOR_JAR}.
 */
public final class StartupTime {

    private static final String TEMPLATE = "template-0";
    private static final Path OUTPUT = Path.of("target", "bench");
    /** The first launches after a start: three seconds at the benchmark's latency rate. */
    private static final int RATE = 100;
    private static final int LAUNCHES = 300;
    /** The operator's and the API server's CPU time while the first launches were timed. */
    private static final String LAUNCH_CPU_HEADER = "  launch_cpu_s  launch_api_cpu_s";
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private StartupTime() {
    }

    /** Exits by itself: the embedded server's threads would keep the JVM alive, also after a failure. */
    public static void main(String[] args) {
        try {
            run(System.getenv());
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(Map<String, String> env) throws Exception {
        List<Integer> sizes = Arrays.stream(env.getOrDefault("STARTUP_N", "100,10000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        int runs = Integer.parseInt(env.getOrDefault("STARTUP_RUNS", "3"));
        Path jar = Path.of(env.getOrDefault("BENCH_OPERATOR_JAR", "target/quarkus-app/quarkus-run.jar"));
        List<String> jvm = env.containsKey("BENCH_OPERATOR_OPTS")
                ? List.of(env.get("BENCH_OPERATOR_OPTS").trim().split("\\s+"))
                : ContainerJvm.options(ContainerJvm.DOCKERFILE, ContainerJvm.CHART_VALUES);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the operator first");
        }
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("image", jvm);
        for (String variant : env.getOrDefault("STARTUP_VARIANTS", "").split(";")) {
            if (!variant.isBlank()) {
                String[] named = variant.split("=", 2);
                variants.put(named[0].trim(), Stream.concat(jvm.stream(),
                        Arrays.stream(named[1].trim().split("\\s+"))).toList());
            }
        }
        Optional<Path> train = Optional.ofNullable(env.get("STARTUP_TRAIN_ARCHIVE")).map(Path::of);
        boolean anHourLater = switch (env.getOrDefault("STARTUP_AGE", "fresh")) {
            case "fresh" -> false;
            case "hour" -> true;
            default -> throw new IllegalArgumentException("STARTUP_AGE is fresh or hour: " + env.get("STARTUP_AGE"));
        };
        variants.forEach((name, options) -> System.out.println(name + ": " + String.join(" ", options)));
        for (int n : sizes) {
            try (EmbeddedApiServer server = EmbeddedApiServer.start(0);
                    KubernetesClient client = server.newClient(BenchRunner.HARNESS)) {
                seed(server, client, jar, jvm, n, anHourLater);
                System.out.println(StartupPhases.HEADER + FirstLaunches.HEADER + LAUNCH_CPU_HEADER);
                try (SimulatedCluster runtime = SimulatedCluster.start(server, SandboxClock.system())) {
                    if (train.isPresent() && !Files.exists(train.get())) {
                        System.out.println(start(server, client, jar, n, 0, "train",
                                Stream.concat(jvm.stream(), Stream.of("-XX:ArchiveClassesAtExit=" + train.get()))
                                        .toList()));
                    }
                    for (int k = 1; k <= runs; k++) {
                        for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                            System.out.println(start(server, client, jar, n, k, variant.getKey(), variant.getValue()));
                        }
                    }
                    System.out.println(bareClient(server, n));
                }
            }
        }
    }

    /** One start of the packaged operator, timed to Ready, then its first launches. */
    private static String start(EmbeddedApiServer server, KubernetesClient client, Path jar, int n, int k,
            String variant, List<String> jvm) throws Exception {
        Path log = OUTPUT.resolve("startup-" + n + "-" + k + "-" + variant + ".log");
        HarnessCpu.awaitIdle(IDLE_TIMEOUT);
        LocalTime launched = LocalTime.now();
        Duration harnessAtLaunch = HarnessCpu.time();
        // A variant's option "@path" names another packaged operator, such as one built from the code before a change.
        Path started = jvm.stream().filter(o -> o.startsWith("@")).map(o -> Path.of(o.substring(1))).findFirst()
                .orElse(jar);
        List<String> options = jvm.stream().filter(o -> !o.startsWith("@")).toList();
        try (OperatorProcess operator = OperatorProcess.start(started, options, server.url(), Map.of(), log)) {
            Duration ready = operator.awaitReady(Duration.ofMinutes(5));
            Duration cpu = operator.cpuTime();
            Duration harnessAtReady = HarnessCpu.time();
            FirstLaunches launches = FirstLaunches.measure(client, variant + k, LAUNCHES, RATE);
            Duration apiCpu = harnessAtReady.minus(harnessAtLaunch);
            Duration launchCpu = operator.cpuTime().minus(cpu);
            Duration launchApiCpu = HarnessCpu.time().minus(harnessAtReady);
            FirstLaunches.settle(client, variant + k, Duration.ofMinutes(5));
            return StartupPhases.read(log, launched).row(n, k, variant, ready, cpu, apiCpu) + launches.row()
                    + String.format(Locale.ROOT, "  %12.2f  %16.2f", launchCpu.toMillis() / 1000.0,
                    launchApiCpu.toMillis() / 1000.0);
        }
    }

    /** The bare client's start (its informers synced) and first launches, the same stream as the operator's. */
    private static String bareClient(EmbeddedApiServer server, int n) throws Exception {
        // Its lists are whole (no pages): at 10,000 objects one takes longer than the default 10 s request timeout.
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.clientConfig())
                .withUserAgent(BenchRunner.BASELINE).withRequestTimeout(120_000).build()).build()) {
            HarnessCpu.awaitIdle(IDLE_TIMEOUT);
            long start = System.nanoTime();
            try (ModelJobBaseline baseline = ModelJobBaseline.start(client)) {
                double ready = (System.nanoTime() - start) / 1e9;
                FirstLaunches launches = FirstLaunches.measure(client, "bare", LAUNCHES, RATE);
                return String.format(Locale.ROOT, "%8d %3s %-7s %8.2f", n, "-", "bare", ready)
                        + " ".repeat(StartupPhases.HEADER.length() - 28) + launches.row();
            }
        }
    }

    /**
     * One ModelJob run to its end by the operator and the simulated runtime, then copied to N in all with the
     * runtime stopped, so that it does not take the copies' Jobs, created before their status, for new ones.
     */
    private static void seed(EmbeddedApiServer server, KubernetesClient client, Path jar, List<String> jvm, int n,
            boolean anHourLater) throws Exception {
        long start = System.nanoTime();
        ModelJobScenario scenario = new ModelJobScenario();
        scenario.prepare(client);
        try (SimulatedCluster runtime = SimulatedCluster.start(server, SandboxClock.system());
                OperatorProcess operator = OperatorProcess.start(jar, jvm, server.url(), Map.of(),
                        OUTPUT.resolve("startup-" + n + "-seed.log"));
                Units<ModelJob> units = new Units<>(client, scenario)) {
            operator.awaitReady(Duration.ofMinutes(2));
            client.resource(scenario.unit("template", 0)).create();
            units.awaitFinished(1, Duration.ofMinutes(2));
            awaitSettled(client);
        }
        EndedJobCopies copies = anHourLater ? EndedJobCopies.of(client, TEMPLATE).afterAnHour()
                : EndedJobCopies.of(client, TEMPLATE);
        copies.copy(client, "ended", 1, n);
        System.out.printf("n=%d: seeded in %.1f s, per job %s%n", n, (System.nanoTime() - start) / 1e9,
                copies.perJob());
    }

    /** Until the objects of the ended job stop changing: its last Events follow its last status write. */
    private static void awaitSettled(KubernetesClient client) throws InterruptedException {
        String last = "";
        for (int quiet = 0; quiet < 10; ) {
            Thread.sleep(200);
            String now = client.v1().events().inNamespace("default").list().getMetadata().getResourceVersion()
                    + client.batch().v1().jobs().inNamespace("default").list().getMetadata().getResourceVersion()
                    + client.pods().inNamespace("default").list().getMetadata().getResourceVersion();
            quiet = now.equals(last) ? quiet + 1 : 0;
            last = now;
        }
    }
}
