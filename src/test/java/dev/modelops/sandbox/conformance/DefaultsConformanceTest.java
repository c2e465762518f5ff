package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the API server fills in on create, and which field selectors it accepts. */
class DefaultsConformanceTest extends RuntimeConformanceBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    // pkg/apis/batch/v1/defaults.go SetDefaults_Job; pkg/registry/batch/job/strategy.go PrepareForCreate
    // (generateSelector): the selector is the Job's uid, which the pod template carries with the Job's name
    @Test
    void aJobGetsTheBatchV1DefaultsAndASelectorOfItsUid() {
        Job job = create(job("train", Map.of()).editSpec().withBackoffLimit(null).endSpec().build());

        String uid = job.getMetadata().getUid();
        JobSpec spec = job("train").getSpec();
        assertEquals(1, spec.getCompletions());
        assertEquals(1, spec.getParallelism());
        assertEquals(6, spec.getBackoffLimit());
        assertEquals("NonIndexed", spec.getCompletionMode());
        assertEquals("TerminatingOrFailed", spec.getPodReplacementPolicy());
        assertEquals(false, spec.getSuspend());
        assertNull(spec.getManualSelector());
        assertEquals(Map.of("batch.kubernetes.io/controller-uid", uid), spec.getSelector().getMatchLabels());
        Map<String, String> labels = Map.of("batch.kubernetes.io/controller-uid", uid,
                "batch.kubernetes.io/job-name", "train", "controller-uid", uid, "job-name", "train");
        assertEquals(labels, spec.getTemplate().getMetadata().getLabels());
        assertEquals(labels, job("train").getMetadata().getLabels());
        assertEquals(spec.getSelector(), job.getSpec().getSelector(), "the create's answer is the stored Job");
    }

    // pkg/apis/apps/v1/defaults.go SetDefaults_Deployment, and the pod template's defaults
    @Test
    void aDeploymentGetsTheAppsV1Defaults() {
        client.apps().deployments().resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("server:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();

        DeploymentSpec spec = client.apps().deployments().withName("web").get().getSpec();
        assertEquals(1, spec.getReplicas());
        assertEquals("RollingUpdate", spec.getStrategy().getType());
        assertEquals("25%", spec.getStrategy().getRollingUpdate().getMaxSurge().getStrVal());
        assertEquals("25%", spec.getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal());
        assertEquals(10, spec.getRevisionHistoryLimit());
        assertEquals(600, spec.getProgressDeadlineSeconds());
        assertEquals("Always", spec.getTemplate().getSpec().getRestartPolicy());
        assertEquals("IfNotPresent", spec.getTemplate().getSpec().getContainers().get(0).getImagePullPolicy());
    }

    // pkg/apis/core/v1/defaults.go SetDefaults_PodSpec, SetDefaults_Container; plugin/pkg/admission/serviceaccount
    @Test
    void aPodGetsThePodSpecAndContainerDefaults() {
        Pod created = client.pods().resource(pod("plain", Map.of())).create();
        PodSpec spec = client.pods().withName(created.getMetadata().getName()).get().getSpec();

        assertEquals("Never", spec.getRestartPolicy());
        assertEquals("ClusterFirst", spec.getDnsPolicy());
        assertEquals("default-scheduler", spec.getSchedulerName());
        assertEquals(30L, spec.getTerminationGracePeriodSeconds());
        assertEquals("default", spec.getServiceAccountName());
        assertNotNull(spec.getSecurityContext());
        Container main = spec.getContainers().get(0);
        assertEquals("IfNotPresent", main.getImagePullPolicy());
        assertEquals("/dev/termination-log", main.getTerminationMessagePath());
        assertEquals("File", main.getTerminationMessagePolicy());
    }

    // defaults.go SetDefaults_PodSpec (restartPolicy Always) and SetDefaults_Container: an image with no tag or the
    // tag latest is pulled Always
    @Test
    void imagePullPolicyIsAlwaysForLatestOrNoTagAndRestartPolicyAlwaysForPods() {
        Pod pod = pod("untagged", Map.of());
        pod.getSpec().setRestartPolicy(null);
        pod.getSpec().getContainers().get(0).setImage("registry.example.com:5000/trainer");
        pod.getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("side")
                .withImage("busybox:latest").build());
        client.pods().resource(pod).create();

        PodSpec spec = client.pods().withName("untagged").get().getSpec();
        assertEquals("Always", spec.getRestartPolicy());
        assertEquals(List.of("Always", "Always"), spec.getContainers().stream().map(Container::getImagePullPolicy).toList());
    }

    // pkg/apis/batch/v1/defaults.go SetDefaults_CronJob
    @Test
    void aCronJobGetsItsPolicyAndHistoryDefaults() {
        client.batch().v1().cronjobs().resource(new CronJobBuilder().withNewMetadata().withName("nightly").endMetadata()
                .withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate()
                .withSpec(job("ignored", Map.of()).build().getSpec()).endJobTemplate().endSpec().build()).create();

        CronJob cronJob = client.batch().v1().cronjobs().withName("nightly").get();
        assertEquals("Allow", cronJob.getSpec().getConcurrencyPolicy());
        assertEquals(3, cronJob.getSpec().getSuccessfulJobsHistoryLimit());
        assertEquals(1, cronJob.getSpec().getFailedJobsHistoryLimit());
        assertEquals(false, cronJob.getSpec().getSuspend());
        assertEquals("ClusterFirst", cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getDnsPolicy());
    }

    // apiextensions-apiserver pkg/registry/customresource/strategy.go: a custom resource's field selectors may name
    // metadata.name, metadata.namespace and the declared selectableFields only; others are a 400
    @Test
    void aFieldSelectorOnAnUndeclaredFieldOfACustomResourceIsABadRequest() throws Exception {
        HttpResponse<String> refused = get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs"
                + "?fieldSelector=spec.type%3DTrain");
        assertEquals(400, refused.statusCode());
        assertEquals("field label not supported: spec.type", JSON.readTree(refused.body()).path("message").asText());

        assertEquals(200, get("/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs"
                + "?fieldSelector=metadata.name%3Dx").statusCode());
    }

    // pkg/registry/batch/job/strategy.go JobToSelectableFields: status.successful
    @Test
    void jobsCanBeSelectedByStatusSuccessful() {
        create(job("done", Map.of("sandbox.modelops.dev/duration", "0s")).build());
        create(job("running", Map.of("sandbox.modelops.dev/duration", "1h")).build());
        await().atMost(WAIT).until(() -> hasCondition("done", "Complete", null));
        runningPodOf("running");

        List<String> succeeded = client.batch().v1().jobs().withField("status.successful", "1").list().getItems()
                .stream().map(j -> j.getMetadata().getName()).toList();
        assertEquals(List.of("done"), succeeded);
        assertEquals(400, get("/apis/batch/v1/namespaces/default/jobs?fieldSelector=spec.parallelism%3D1").statusCode());
    }
}
