package dev.modelops.sandbox.server;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The embedded API server's requests, with the faults of its {@link FaultPlan}: a refused request is answered with
 * the API server's Status and not performed; a slow one is performed and answered late; a cut watch is served until
 * its end comes. Only resource requests are faulted (objects, their status and logs), not discovery or health, nor
 * followed pod logs ({@code logs -f}, streamed by {@link LogFollow}).
 */
final class FaultInjection extends Dispatcher {

    private static final int RETRY_AFTER_SECONDS = 1;

    /** A plan and the number of requests it has decided so far. */
    private record Run(FaultPlan plan, AtomicLong decided) {
    }

    private final Dispatcher served;
    private final ApiRequests requests;
    private final Map<FaultKind, LongAdder> injected = new EnumMap<>(FaultKind.class);
    private final ScheduledExecutorService watchDeadlines = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sandbox-fault-watch-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Run run = new Run(FaultPlan.none(), new AtomicLong());

    FaultInjection(Dispatcher served, ApiRequests requests) {
        this.served = served;
        this.requests = requests;
        for (FaultKind kind : FaultKind.values()) {
            injected.put(kind, new LongAdder());
        }
    }

    /** From now on, this plan, from its first decision. */
    void plan(FaultPlan plan) {
        run = new Run(plan, new AtomicLong());
    }

    FaultPlan plan() {
        return run.plan();
    }

    FaultCounts counts() {
        Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
        injected.forEach((kind, count) -> counts.put(kind, count.sum()));
        return new FaultCounts(counts);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Run current = run;
        if (!current.plan().appliesTo(request.getHeader("User-Agent"))) {
            return served.dispatch(request);
        }
        Optional<ResourcePath> target = ResourcePath.of(withoutQuery(request.getPath()));
        if (target.isEmpty()) {
            return served.dispatch(request);
        }
        long k = current.decided().getAndIncrement();
        Optional<FaultDecision> decision = current.plan().decide(k, FaultTargets.possible(request));
        if (decision.isEmpty()) {
            return served.dispatch(request);
        }
        FaultKind kind = decision.get().kind();
        if (kind.refuses()) {
            requests.record(request.getHeader("User-Agent"), request.getMethod(), request.getPath());
            injected.get(kind).increment();
            return refusal(kind, target.get(), "request " + k + " of " + current.plan().describe());
        }
        MockResponse response = served.dispatch(request);
        if (kind == FaultKind.SLOW) {
            injected.get(kind).increment();
            return response.setBodyDelay(decision.get().delay());
        }
        if (response.getWebSocketListener() == null) {
            return response; // the watch was refused (a bad selector, 410 Gone): nothing to cut
        }
        return response.withWebSocketUpgrade(new CutWatch(response.getWebSocketListener(), decision.get(),
                watchDeadlines, () -> injected.get(FaultKind.WATCH_CLOSE).increment()));
    }

    private static MockResponse refusal(FaultKind kind, ResourcePath target, String why) {
        return switch (kind) {
            case CONFLICT -> Responses.modified(target, target.name());
            case TOO_MANY_REQUESTS -> Responses.tooManyRequests(RETRY_AFTER_SECONDS);
            case INTERNAL_ERROR -> Responses.internalError("injected by the sandbox (" + why + ")");
            case SERVICE_UNAVAILABLE -> Responses.serviceUnavailable("the server is currently unable to handle the "
                    + "request (injected by the sandbox: " + why + ")");
            default -> throw new IllegalArgumentException(kind + " is not a refusal");
        };
    }

    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    @Override
    public void shutdown() {
        watchDeadlines.shutdownNow();
        served.shutdown();
    }
}
