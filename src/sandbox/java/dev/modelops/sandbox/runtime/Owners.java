package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The controlling owner of an object, as controllers find what they own. */
final class Owners {

    private Owners() {
    }

    static Optional<OwnerReference> controller(HasMetadata object, String ownerKind) {
        return object.getMetadata().getOwnerReferences().stream()
                .filter(o -> ownerKind.equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }

    /** The informer key ({@code namespace/name}) of the controlling owner, or null when there is none. */
    static String controllerKey(HasMetadata object, String ownerKind) {
        return controller(object, ownerKind).map(o -> object.getMetadata().getNamespace() + "/" + o.getName())
                .orElse(null);
    }

    /**
     * Indexes the informer's objects by the uid of their controller of the kind, once however many controllers ask.
     *
     * @return the index's name
     */
    static synchronized <T extends HasMetadata> String indexByController(SharedIndexInformer<T> informer,
            String ownerKind) {
        String index = "controller-uid/" + ownerKind;
        if (!informer.getIndexer().getIndexers().containsKey(index)) {
            informer.addIndexers(Map.of(index, o -> controller(o, ownerKind).map(c -> List.of(c.getUid()))
                    .orElse(List.of())));
        }
        return index;
    }
}
