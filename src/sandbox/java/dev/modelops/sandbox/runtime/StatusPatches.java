package dev.modelops.sandbox.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;

/**
 * Status writes as JSON merge patches of the whole status. Kubernetes leaves a count of zero out of a status, as
 * fabric8 leaves out a null field, but a merge patch keeps a field it does not name: a field the old status has and
 * the new one has not is sent as null, so that it goes.
 */
final class StatusPatches {

    static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private StatusPatches() {
    }

    /** A count as Kubernetes writes it in a status ({@code omitempty}): absent when zero. */
    static Integer omittedIfZero(int count) {
        return count == 0 ? null : count;
    }

    static String replacing(Object current, Object next) {
        ObjectNode status = Serialization.jsonMapper().valueToTree(next);
        JsonNode before = Serialization.jsonMapper().valueToTree(current);
        before.fieldNames().forEachRemaining(field -> {
            if (!status.has(field)) {
                status.putNull(field);
            }
        });
        return Serialization.asJson(Map.of("status", status));
    }
}
