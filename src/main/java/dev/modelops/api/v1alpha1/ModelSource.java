package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the model comes from: exactly one of train or import. */
@ValidationRule(value = "has(self.train) != has(self.__import__)", message = "spec.source must set exactly one of train (train the model here) or import (bring a model trained elsewhere)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSource {

    @JsonPropertyDescription("Train the model with this container and dataset.")
    private StepTemplate train;

    @JsonProperty("import")
    @JsonPropertyDescription("Import a model trained elsewhere.")
    private ImportSource importSource;

    public StepTemplate getTrain() {
        return train;
    }

    public void setTrain(StepTemplate train) {
        this.train = train;
    }

    @JsonProperty("import")
    public ImportSource getImport() {
        return importSource;
    }

    public void setImport(ImportSource importSource) {
        this.importSource = importSource;
    }
}
