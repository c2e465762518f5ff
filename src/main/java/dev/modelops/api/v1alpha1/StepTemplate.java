package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The container of one lifecycle step and the dataset it reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepTemplate extends ContainerTemplate {

    @JsonPropertyDescription("Dataset the step reads; reaches the container as MODELOPS_DATASET_URI.")
    private DataLocation dataset;

    public DataLocation getDataset() {
        return dataset;
    }

    public void setDataset(DataLocation dataset) {
        this.dataset = dataset;
    }
}
