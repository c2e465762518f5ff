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

import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.BOOLEAN;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.STRING;

/** One version of a model, trained here or imported, on its way to production. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@Singular("modelversion")
@Plural("modelversions")
@ShortNames("mv")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = STRING)
@AdditionalPrinterColumn(name = "Stage", jsonPath = ".status.stage", type = STRING)
@AdditionalPrinterColumn(name = "Champion", jsonPath = ".status.champion", type = BOOLEAN)
@AdditionalPrinterColumn(name = "Metric", jsonPath = ".status.headlineMetric", type = STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = STRING, priority = 1)
@ValidationRule(value = "self.metadata.name.size() <= 63", message = "metadata.name must be at most 63 characters: it labels the version's jobs and pods (modelops.dev/model-version)")
public class ModelVersion extends CustomResource<ModelVersionSpec, ModelVersionStatus> implements Namespaced {

    @Override
    @JsonPropertyDescription("The version: its model, where it comes from (train or import), and how it is evaluated, approved and deployed.")
    public ModelVersionSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Where the version is in its lifecycle: stage, conditions, metrics, approval, champion and the latest job of each step.")
    public ModelVersionStatus getStatus() {
        return super.getStatus();
    }
}
