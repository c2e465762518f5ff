package dev.modelops.chaos;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The harness's own requests, as a user's {@code kubectl} would make them again: through the fault plan and the API
 * server's restarts, a request that failed for a reason that passes (no answer, 429, 5xx, a conflict the plan made
 * up) is sent again until it is answered. A create whose first answer was lost may meet its own object: it is then
 * taken as created.
 */
final class HarnessApi {

    private static final Set<Integer> PASSING = Set.of(408, 409, 429, 500, 502, 503, 504);
    private static final Duration GIVE_UP = Duration.ofSeconds(90);

    private final KubernetesClient client;

    HarnessApi(KubernetesClient client) {
        this.client = client;
    }

    KubernetesClient client() {
        return client;
    }

    /** The answer to a request that reads or changes nothing twice (a get, a list, a merge patch). */
    <T> T call(String what, Supplier<T> request) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        long pause = 50;
        while (true) {
            try {
                return request.get();
            } catch (KubernetesClientException e) {
                if (!passing(e) || System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + ": " + e.getMessage(), e);
                }
            }
            sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
    }

    /**
     * Creates the object, whose name is the run's alone: a 409 after a lost answer means it was created. A 409 on
     * the first try is an injected conflict or a name the run used twice, told apart by reading it.
     */
    <T extends HasMetadata> void create(T object) {
        String what = "create " + object.getKind() + " " + object.getMetadata().getName();
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        long pause = 50;
        while (true) {
            try {
                client.resource(object).create();
                return;
            } catch (KubernetesClientException e) {
                if (!passing(e) || System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + ": " + e.getMessage(), e);
                }
                if (e.getCode() == 409 && "AlreadyExists".equals(reason(e))
                        && call("get " + object.getMetadata().getName(), () -> client.resource(object).get()) != null) {
                    return;
                }
            }
            sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
    }

    /** A JSON merge patch, which gives the same object however often it is applied. */
    <T extends HasMetadata> void mergePatch(T object, String patch) {
        call("patch " + object.getKind() + " " + object.getMetadata().getName(),
                () -> client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }

    /** No answer (a timeout, a connection broken by a restart), or one that another try may not get. */
    static boolean passing(KubernetesClientException e) {
        return e.getCode() <= 0 || PASSING.contains(e.getCode());
    }

    private static String reason(KubernetesClientException e) {
        return e.getStatus() == null ? null : e.getStatus().getReason();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
