package dev.modelops.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.sandbox.admission.AdmissionResult;
import dev.modelops.sandbox.admission.CustomResourceValidator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the validator behaves where Kubernetes has particular rules, on a small CRD written for the purpose. */
class AdmissionSemanticsTest {

    private static final CustomResourceDefinition CRD = Serialization.unmarshal("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.dev}
            spec:
              group: example.dev
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-validations:
                        - rule: "has(self.__import__) || self.max__dash__size > 0"
                          message: import or max-size
                        - rule: "self.size_ != oldSelf.size_ ? self.size_ > oldSelf.size_ : true"
                          messageExpression: "'size may only grow, from ' + string(oldSelf.size_)"
                        properties:
                          import: {type: string}
                          max-size: {type: integer, default: 1}
                          size_: {type: integer, default: 2}
                          ports:
                            type: array
                            items:
                              type: integer
                              x-kubernetes-validations:
                              - {rule: "self < 1024", message: ports are below 1024}
                          labels:
                            type: object
                            additionalProperties:
                              type: string
                              x-kubernetes-validations:
                              - {rule: "self.lowerAscii() == self", message: lowercase}
                          broken:
                            type: string
                            x-kubernetes-validations:
                            - {rule: "self.nosuchfield == 1", message: never}
            """, CustomResourceDefinition.class);
    private static final CustomResourceValidator VALIDATOR = CustomResourceValidator.of(List.of(CRD));

    private static JsonNode widget(String spec) {
        return AdmissionFixtures.documents("apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\nspec: "
                + spec).get(0);
    }

    @Test
    void defaultsAreAppliedAndUnknownFieldsPruned() {
        AdmissionResult result = VALIDATOR.validateCreate(widget("{unknown: 1, ports: [80]}"));

        assertTrue(result.allowed(), result::message);
        assertEquals("{\"ports\":[80],\"max-size\":1,\"size_\":2}", result.object().get("spec").toString());
    }

    @Test
    void reservedWordsAndDashesAreEscapedInRules() {
        AdmissionResult result = VALIDATOR.validateCreate(widget("{max-size: 0}"));

        assertEquals("Widget.example.dev \"w\" is invalid: spec: Invalid value: \"object\": import or max-size",
                result.message());
    }

    @Test
    void rulesRunOnArrayItemsAndMapValuesAtTheirOwnPath() {
        AdmissionResult result = VALIDATOR.validateCreate(widget("{ports: [80, 8080], labels: {Team: Blue}}"));

        assertEquals("Widget.example.dev \"w\" is invalid: [spec.ports[1]: Invalid value: \"integer\": ports are "
                + "below 1024, spec.labels[Team]: Invalid value: \"string\": lowercase]", result.message());
    }

    @Test
    void transitionRulesRunOnlyOnUpdateWithTheirMessageExpression() {
        assertTrue(VALIDATOR.validateCreate(widget("{size_: 1}")).allowed());

        AdmissionResult result = VALIDATOR.validateUpdate(widget("{size_: 1}"), widget("{size_: 5}"));

        assertEquals("Widget.example.dev \"w\" is invalid: spec: Invalid value: \"object\": size may only grow, "
                + "from 5", result.message());
    }

    @Test
    void aRuleThatDoesNotCompileIsACauseNotAnException() {
        AdmissionResult result = VALIDATOR.validateCreate(widget("{broken: x}"));

        assertEquals(1, result.causes().size());
        assertTrue(result.causes().get(0).toString().startsWith("spec.broken: Invalid value: \"string\": rule "
                + "compile error: "), result::message);
        assertEquals(1, VALIDATOR.rules().stream().filter(rule -> !rule.compiled()).count());
    }

    @Test
    void theStatusCarriesOneCausePerFieldError() {
        AdmissionResult result = VALIDATOR.validateCreate(widget("{ports: [\"http\"]}"));

        assertEquals(422, result.toStatus().getCode());
        assertEquals("FieldValueTypeInvalid", result.toStatus().getDetails().getCauses().get(0).getReason());
        assertEquals("spec.ports[0]", result.toStatus().getDetails().getCauses().get(0).getField());
    }
}
