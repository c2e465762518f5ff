package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How a version is approved after evaluation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalPolicy {

    @Default("Manual")
    @JsonPropertyDescription("Manual: wait for an Approve or Reject ModelJob. Automatic: the operator evaluates the gates and records the decision.")
    private ApprovalMode mode;

    @Size(max = 32)
    @ValidationRule(value = "self.all(g, g.matches('\\\\S'))", message = "approval.gates must not contain empty expressions")
    @ValidationRule(value = "self.all(g, g.size() <= 1024)", message = "each of approval.gates must be at most 1024 characters")
    @JsonPropertyDescription("CEL expressions over this version (metrics, statistics) and the model's deployed champion (champion.metrics); all must be true to approve.")
    private List<String> gates;

    public ApprovalMode getMode() {
        return mode;
    }

    public void setMode(ApprovalMode mode) {
        this.mode = mode;
    }

    public List<String> getGates() {
        return gates;
    }

    public void setGates(List<String> gates) {
        this.gates = gates;
    }
}
