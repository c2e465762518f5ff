package dev.modelops.bench;

import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelJobStatus;
import dev.modelops.cache.PrunedCaches;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The heap that the ModelJob controller's caches take at N ended jobs (a ModelJob, its Job and its pod each): whole
 * objects, the pruned copies it keeps, and pruned copies whose empty collections are not shared. Run: {@code java -cp <test classpath>
 * dev.modelops.bench.CacheFootprint [N]}; it prints one line per way of caching.
 */
public final class CacheFootprint {

    private CacheFootprint() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        report("whole", n, UnaryOperator.identity(), UnaryOperator.identity(), UnaryOperator.identity());
        report("pruned, shared empty collections", n, PrunedCaches::pod, PrunedCaches::job, PrunedCaches::modelJob);
        report("pruned, own empty collections", n, PrunedCaches::podCopy, PrunedCaches::jobCopy,
                PrunedCaches::modelJobCopy);
    }

    private static void report(String how, int n, UnaryOperator<Pod> pods, UnaryOperator<Job> jobs,
            UnaryOperator<ModelJob> modelJobs) {
        List<Object> kept = new ArrayList<>(2 * n);
        long before = liveHeap();
        for (int i = 0; i < n; i++) {
            kept.add(pods.apply(pod(i)));
            kept.add(jobs.apply(job(i)));
            kept.add(modelJobs.apply(modelJob(i)));
        }
        long after = liveHeap();
        System.out.printf("%-36s n=%d heap_mib=%.1f bytes_per_job=%d%n", how, n, (after - before) / 1048576.0,
                (after - before) / n);
        kept.clear();
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Pod pod(int i) {
        String name = "eval-" + i;
        return new PodBuilder().withNewMetadata().withName(name + "-x7k2p").withNamespace("default").withUid("u-" + i)
                .withResourceVersion(Integer.toString(i)).withCreationTimestamp("2026-11-25T10:00:00Z")
                .addToLabels("modelops.dev/model-job", name).addToLabels("batch.kubernetes.io/job-name", name)
                .addToAnnotations("sandbox.modelops.dev/log", "scoring\n")
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(name).withUid("j-" + i)
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("node-a").withRestartPolicy("Never").addNewContainer().withName("main")
                .withImage("eval:1").addNewEnv().withName("MODELOPS_MODEL").withValue("churn").endEnv()
                .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext().endContainer().endSpec()
                .withNewStatus().withPhase("Succeeded").withPodIP("10.0.0.7")
                .addNewCondition().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2026-11-25T10:00:01Z").endCondition()
                .addNewContainerStatus().withName("main").withImage("eval:1").withNewState()
                .withNewTerminated().withExitCode(0).withMessage("{\"metrics\":{\"auc\":0.91}}")
                .withStartedAt("2026-11-25T10:00:02Z").withFinishedAt("2026-11-25T10:00:03Z").endTerminated()
                .endState().endContainerStatus().endStatus().build();
    }

    /** An ended ModelJob as the API server sends it. */
    private static ModelJob modelJob(int i) {
        ModelJob mj = new ModelJob();
        mj.getMetadata().setName("eval-" + i);
        mj.getMetadata().setNamespace("default");
        mj.getMetadata().setUid("m-" + i);
        mj.getMetadata().setGeneration(1L);
        mj.setSpec(new ModelJobSpec());
        mj.getSpec().setType(JobType.Evaluate);
        mj.getSpec().setModelVersion("churn-v3");
        mj.setStatus(new ModelJobStatus());
        mj.getStatus().setPhase(JobPhase.Succeeded);
        return mj;
    }

    private static Job job(int i) {
        String name = "eval-" + i;
        return new JobBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("j-" + i)
                .addToLabels("modelops.dev/model-job", name).addNewOwnerReference().withKind("ModelJob")
                .withName(name).withUid("m-" + i).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().addNewContainer().withName("main")
                .withImage("eval:1").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withSucceeded(1).addNewCondition().withType("Complete").withStatus("True")
                .withLastTransitionTime("2026-11-25T10:00:05Z").endCondition().endStatus().build();
    }
}
