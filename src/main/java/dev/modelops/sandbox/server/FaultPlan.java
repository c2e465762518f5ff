package dev.modelops.sandbox.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Which requests of the embedded API server go wrong, and how: a share of the requests of one client (those whose
 * {@code User-Agent} starts with a prefix, by default the operator's), chosen from a seed. The decision for the k-th
 * such request is a function of the seed and k alone, so that the same seed gives the same faults to the same
 * sequence of requests. Immutable.
 */
public final class FaultPlan {

    /** The operator's client ({@code OperatorUserAgent}); the simulated cluster and the tests' clients are not it. */
    public static final String OPERATOR = "modelops-operator";
    static final long SLOWEST_MILLIS = 500;
    private static final long FASTEST_MILLIS = 50;
    private static final int MOST_WATCH_EVENTS = 20;
    private static final long SHORTEST_WATCH_MILLIS = 200;
    private static final long LONGEST_WATCH_MILLIS = 3000;

    private final long seed;
    private final double share;
    private final Set<FaultKind> kinds;
    private final String userAgentPrefix;

    private FaultPlan(long seed, double share, Set<FaultKind> kinds, String userAgentPrefix) {
        this.seed = seed;
        this.share = share;
        this.kinds = kinds;
        this.userAgentPrefix = userAgentPrefix;
    }

    /** No faults. */
    public static FaultPlan none() {
        return new FaultPlan(0, 0, EnumSet.allOf(FaultKind.class), OPERATOR);
    }

    /** The given share, in [0, 1], of the chosen client's requests faulted, of every kind that a request can get. */
    public static FaultPlan seeded(long seed, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the share of faulted requests is between 0 and 1, not " + share);
        }
        return new FaultPlan(seed, share, EnumSet.allOf(FaultKind.class), OPERATOR);
    }

    /** The same plan for the client whose {@code User-Agent} starts with the prefix. */
    public FaultPlan forUserAgentPrefix(String prefix) {
        return new FaultPlan(seed, share, kinds, prefix);
    }

    /** The same plan with these kinds of faults only. */
    public FaultPlan only(FaultKind first, FaultKind... more) {
        return new FaultPlan(seed, share, EnumSet.of(first, more), userAgentPrefix);
    }

    public long seed() {
        return seed;
    }

    public double share() {
        return share;
    }

    public String userAgentPrefix() {
        return userAgentPrefix;
    }

    /** One line: {@code faults: seed=42 share=0.05 kinds=409,429,500,503,slow,watch-close client=modelops-operator}. */
    public String describe() {
        if (share == 0) {
            return "faults: none";
        }
        return "faults: seed=" + seed + " share=" + share + " kinds="
                + kinds.stream().map(FaultKind::label).collect(Collectors.joining(",")) + " client=" + userAgentPrefix;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Whether requests with this {@code User-Agent} can be faulted. */
    boolean appliesTo(String userAgent) {
        return share > 0 && userAgent != null && userAgent.startsWith(userAgentPrefix);
    }

    /**
     * The fault of the k-th request of the chosen client (from 0), among the kinds that request can get (a 409 only
     * for a write that names a resourceVersion, a watch close only for a watch, a delay for anything but a watch);
     * empty when it is served as it is.
     */
    public Optional<FaultDecision> decide(long k, Set<FaultKind> possible) {
        if (share == 0) {
            return Optional.empty();
        }
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(k + 0x9E3779B97F4A7C15L)));
        if (random.nextDouble() >= share) {
            return Optional.empty();
        }
        List<FaultKind> candidates = new ArrayList<>(kinds);
        candidates.retainAll(possible);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        FaultKind kind = candidates.get(random.nextInt(candidates.size()));
        return Optional.of(switch (kind) {
            case SLOW -> FaultDecision.slow(Duration.ofMillis(random.nextLong(FASTEST_MILLIS, SLOWEST_MILLIS + 1)));
            case WATCH_CLOSE -> FaultDecision.watchClose(random.nextInt(1, MOST_WATCH_EVENTS + 1),
                    Duration.ofMillis(random.nextLong(SHORTEST_WATCH_MILLIS, LONGEST_WATCH_MILLIS + 1)));
            default -> FaultDecision.refusal(kind);
        });
    }

    /** A 64-bit finalizer (Stafford's mix 13, as SplittableRandom's): nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
