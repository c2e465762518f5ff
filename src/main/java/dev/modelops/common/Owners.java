package dev.modelops.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Owner references of the objects the operator creates: deleted with their owner, shown as "Controlled By". */
public final class Owners {

    private Owners() {
    }

    /** Whether the object's controller is this owner: the same uid, not only the same name. */
    public static boolean ownedBy(HasMetadata object, HasMetadata owner) {
        return object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences().stream()
                .anyMatch(reference -> Boolean.TRUE.equals(reference.getController())
                        && owner.getMetadata().getUid().equals(reference.getUid()));
    }

    /**
     * Whether the object's controller is another object of the owner's kind: one of the same name deleted before this
     * one was created, whose dependents the garbage collector has not removed yet.
     */
    public static boolean controlledByAnother(HasMetadata object, HasMetadata owner) {
        return object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences().stream()
                .anyMatch(reference -> Boolean.TRUE.equals(reference.getController())
                        && owner.getKind().equals(reference.getKind())
                        && !owner.getMetadata().getUid().equals(reference.getUid()));
    }

    public static OwnerReference controller(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }
}
