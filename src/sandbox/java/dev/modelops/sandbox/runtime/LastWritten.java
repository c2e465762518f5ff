package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a controller last wrote of each object, by uid. The informer may not show it yet, and a pass over the older
 * object would do again what was done (client-go's controllers keep expectations for the same reason).
 */
final class LastWritten<T extends HasMetadata> {

    private final Map<String, T> byUid = new ConcurrentHashMap<>();

    void remember(T written) {
        if (written != null) {
            byUid.merge(written.getMetadata().getUid(), written, (known, next) -> version(next) >= version(known)
                    ? next : known);
        }
    }

    /** The newer of the cached object and what was last written of it. */
    T newest(T cached) {
        T written = byUid.get(cached.getMetadata().getUid());
        if (written == null) {
            return cached;
        }
        if (version(written) > version(cached)) {
            return written;
        }
        byUid.remove(cached.getMetadata().getUid(), written);
        return cached;
    }

    private static long version(HasMetadata object) {
        try {
            return Long.parseLong(object.getMetadata().getResourceVersion());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
