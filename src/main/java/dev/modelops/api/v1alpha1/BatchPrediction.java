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

/** Scores data with a model's deployed version, on a cron schedule or on demand. */
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@Singular("batchprediction")
@Plural("batchpredictions")
@ShortNames("bp")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = STRING)
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.modelVersion", type = STRING)
@AdditionalPrinterColumn(name = "Last Run", jsonPath = ".status.lastScheduleTime", type = DATE)
@AdditionalPrinterColumn(name = "Next Run", jsonPath = ".status.nextScheduleTime", type = STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = STRING, priority = 1)
@ValidationRule(value = "self.metadata.name.size() <= 52", message = "metadata.name must be at most 52 characters: it names the BatchPrediction's CronJob, whose Jobs add 11")
public class BatchPrediction extends CustomResource<BatchPredictionSpec, BatchPredictionStatus> implements Namespaced {

    @Override
    @JsonPropertyDescription("What to score, with which version, when (cron schedule) and where predictions go.")
    public BatchPredictionSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The CronJob, the version scoring now, the last runs and the Ready and Suspended conditions.")
    public BatchPredictionStatus getStatus() {
        return super.getStatus();
    }
}
