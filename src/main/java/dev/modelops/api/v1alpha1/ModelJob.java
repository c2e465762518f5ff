package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.STRING;

/** One step in the life of a model version: a job that can be listed, followed, read and stopped. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@Singular("modeljob")
@Plural("modeljobs")
@ShortNames("mj")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = STRING)
@AdditionalPrinterColumn(name = "Model Version", jsonPath = ".spec.modelVersion", type = STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
@AdditionalPrinterColumn(name = "Job", jsonPath = ".status.jobName", type = STRING, priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = STRING, priority = 1)
@ValidationRule(value = "self.metadata.name.size() <= 63", message = "metadata.name must be at most 63 characters: it names the ModelJob's batch Job, whose name labels its pods")
public class ModelJob extends CustomResource<ModelJobSpec, ModelJobStatus> implements Namespaced {

    @Override
    @JsonPropertyDescription("What the job runs: its type, the ModelVersion it works on, overrides of its container, and stop.")
    public ModelJobSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed: phase, conditions, the batch/v1 Job and pods, result, timeline and kept logs.")
    public ModelJobStatus getStatus() {
        return super.getStatus();
    }
}
