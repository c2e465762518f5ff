package dev.modelops.sandbox.runtime;

import dev.modelops.testing.SimulatedClusterTest;

import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GarbageCollectionTest extends SimulatedClusterTest {

    @Test
    void deletingAJobDeletesItsPods() {
        create(job("doomed", Map.of("sandbox.modelops.dev/duration", "1h")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOf("doomed").size() == 1);

        client.batch().v1().jobs().withName("doomed").delete();

        await().atMost(Duration.ofSeconds(15)).until(() -> podsOf("doomed").isEmpty());
    }

    @Test
    void deletingAModelJobDeletesTheConfigMapItOwns() {
        ModelJob owner = new ModelJob();
        owner.getMetadata().setName("churn-v3-evaluate-1");
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(JobType.Evaluate);
        spec.setModelVersion("churn-v3");
        owner.setSpec(spec);
        owner = client.resource(owner).create();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("churn-v3-evaluate-1-logs")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("modelops.dev/v1alpha1").withKind("ModelJob")
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build())
                .endMetadata().addToData("main", "log").build()).create();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("unowned").endMetadata().build())
                .create();

        client.resource(owner).delete();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> client.configMaps().withName("churn-v3-evaluate-1-logs").get() == null);
        assertEquals("unowned", client.configMaps().withName("unowned").get().getMetadata().getName());
    }
}
