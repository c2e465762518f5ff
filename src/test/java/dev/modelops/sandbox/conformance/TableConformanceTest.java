package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row 13 of issue 19 (the server's part): server-side printing and the events.k8s.io view of Events. */
class TableConformanceTest extends ConformanceBase {

    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go (includeObject=Object puts the whole object
    // in each row, which kubectl get --sort-by reads)
    @Test
    void kubectlGetSortsModelJobsByName() throws Exception {
        for (String name : new String[] {"sorted-b", "sorted-a", "sorted-c"}) {
            send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                    modelJob(name));
        }

        String out = kubectl().run("get", "mj", "--sort-by=.metadata.name");

        assertTrue(out.matches("(?s).*\\nsorted-a .*\\nsorted-b .*\\nsorted-c .*"), out);
    }

    // the same request as kubectl's: a Table whose rows carry the object
    @Test
    void aTableWithIncludeObjectCarriesTheWholeObject() throws Exception {
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("in-a-table", ""));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/api/v1/namespaces/default/configmaps?includeObject=Object"))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode row = JSON.readTree(response.body()).path("rows").path(0);

        assertEquals("ConfigMap", row.path("object").path("kind").asText(), response.body());
        assertEquals("v", row.path("object").path("data").path("k").asText(), response.body());
    }

    // pkg/printers/internalversion/printers.go (pods: IP, Node, Nominated Node, Readiness Gates at priority 1)
    @Test
    void kubectlGetPodsWideShowsTheWideColumns() throws Exception {
        send("POST", "/api/v1/namespaces/default/pods", "application/json", json(
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'wide'},'spec':{'nodeName':'sandbox',"
                        + "'containers':[{'name':'main','image':'trainer:1'}]}}"));

        String narrow = kubectl().run("get", "pod", "wide");
        String wide = kubectl().run("get", "pod", "wide", "-o", "wide");

        assertTrue(!narrow.contains("NODE") && wide.contains("IP") && wide.contains("NOMINATED NODE"), wide);
        assertTrue(wide.contains("sandbox"), wide);
    }

    // pkg/printers/internalversion/printers.go (jobs: Containers, Images, Selector at priority 1)
    @Test
    void kubectlGetJobsWideShowsContainersAndImages() throws Exception {
        send("POST", "/apis/batch/v1/namespaces/default/jobs", "application/json", job("wide-job"));

        String wide = kubectl().run("get", "job", "wide-job", "-o", "wide");

        assertTrue(wide.contains("CONTAINERS") && wide.contains("IMAGES") && wide.contains("trainer:1"), wide);
    }

    // pkg/printers/internalversion/printers.go (deployments: Ready, Up-to-date, Available; replica sets: Desired,
    // Current, Ready; both with Containers, Images and Selector at priority 1)
    @Test
    void kubectlGetDeploymentsAndReplicaSetsShowsTheirColumns() throws Exception {
        String spec = "'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':"
                + "{'labels':{'app':'web'}},'spec':{'containers':[{'name':'main','image':'server:1'}]}}}}";
        send("POST", "/apis/apps/v1/namespaces/default/deployments", "application/json",
                json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'}," + spec));
        send("POST", "/apis/apps/v1/namespaces/default/replicasets", "application/json",
                json("{'apiVersion':'apps/v1','kind':'ReplicaSet','metadata':{'name':'web-5d4f7'}," + spec));

        String deployments = kubectl().run("get", "deploy", "web", "-o", "wide");
        String replicaSets = kubectl().run("get", "rs", "web-5d4f7");

        assertTrue(deployments.matches("(?s)NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES"
                + "\\s+SELECTOR\\s+web\\s+0/2\\s+0\\s+0\\s+\\S+\\s+main\\s+server:1\\s+app=web\\s*"), deployments);
        assertTrue(replicaSets.matches("(?s)NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+AGE\\s+web-5d4f7\\s+2\\s+0\\s+0"
                + "\\s+\\S+\\s*"), replicaSets);
    }

    // pkg/apis/events/v1/conversion.go: events.k8s.io/v1 serves the core Events, converted
    @Test
    void eventsOfTheEventsApiAreTheCoreEvents() {
        client.v1().events().resource(new EventBuilder().withNewMetadata().withName("seen-twice.1").endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withKind("ModelJob").withName("seen-twice")
                        .withNamespace("default").build())
                .withReason("JobCreated").withMessage("created job seen-twice").withType("Normal").withCount(2)
                .build()).create();

        JsonNode events = get("/apis/events.k8s.io/v1/namespaces/default/events").json();
        JsonNode event = get("/apis/events.k8s.io/v1/namespaces/default/events/seen-twice.1").json();

        assertEquals("EventList", events.path("kind").asText());
        assertEquals("events.k8s.io/v1", events.path("apiVersion").asText());
        assertEquals("events.k8s.io/v1", event.path("apiVersion").asText());
        assertEquals("created job seen-twice", event.path("note").asText(), event.toString());
        assertEquals("seen-twice", event.path("regarding").path("name").asText(), event.toString());
        assertEquals(2, event.path("deprecatedCount").asInt(), event.toString());
    }

    // kubectl events lists core Events with a typed client (staging/src/k8s.io/kubectl/pkg/cmd/events/events.go),
    // which reads only an EventList
    @Test
    void kubectlEventsListsTheCoreEvents() throws Exception {
        client.v1().events().resource(new EventBuilder().withNewMetadata().withName("listed.1").endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withKind("ModelJob").withName("listed")
                        .withNamespace("default").build())
                .withReason("JobCreated").withMessage("created job listed").withType("Normal")
                .withFirstTimestamp("2026-11-25T10:00:00Z").withLastTimestamp("2026-11-25T10:00:00Z").withCount(1)
                .build()).create();

        String out = kubectl().run("events");

        assertTrue(out.contains("created job listed"), out);
    }
}
