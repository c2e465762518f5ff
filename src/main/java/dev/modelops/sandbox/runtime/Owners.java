package dev.modelops.sandbox.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;

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
}
