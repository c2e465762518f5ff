package dev.modelops.metrics;

import dev.modelops.api.v1alpha1.BatchPrediction;
import dev.modelops.api.v1alpha1.JobPhase;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.Stage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * JOSDK's reconciliation metrics, plus reconcile errors by controller and gauges of what the controllers' caches
 * hold, read when Prometheus scrapes: ModelJobs by type and phase, ModelVersions by stage, champions by model and
 * missed runs by BatchPrediction. Reading
 * the caches (no API call) keeps the counts right after a restart, before any resource is reconciled again.
 */
public final class ResourceMetrics implements Metrics {

    private final Metrics sdk;
    private final MeterRegistry registry;
    private final Map<Class<?>, ControllerEventSource<?>> caches = new ConcurrentHashMap<>();
    private final Set<String> perName = ConcurrentHashMap.newKeySet();

    public ResourceMetrics(Metrics sdk, MeterRegistry registry) {
        this.sdk = sdk;
        this.registry = registry;
        JobDurations.recordInto(registry);
    }

    @Override
    public void controllerRegistered(Controller<? extends HasMetadata> controller) {
        sdk.controllerRegistered(controller);
        Class<?> kind = controller.getConfiguration().getResourceClass();
        errors(controller.getConfiguration().getName());
        caches.put(kind, controller.getEventSourceManager().getControllerEventSource());
        if (kind == ModelJob.class) {
            for (JobType type : JobType.values()) {
                for (JobPhase phase : JobPhase.values()) {
                    Gauge.builder("modelops.modeljobs", () -> count(ModelJob.class, job -> job.getSpec() != null
                                    && job.getSpec().getType() == type && phaseOf(job) == phase))
                            .description("ModelJobs by type and phase").tag("type", type.name())
                            .tag("phase", phase.name()).register(registry);
                }
            }
        } else if (kind == ModelVersion.class) {
            for (Stage stage : Stage.values()) {
                Gauge.builder("modelops.modelversions", () -> count(ModelVersion.class, version -> stageOf(version)
                                == stage)).description("ModelVersions by stage").tag("stage", stage.name())
                        .register(registry);
            }
        }
    }

    /** Registers, once, the gauges of each model and BatchPrediction as they appear. */
    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        sdk.finishedReconciliation(resource, metadata);
        if (resource instanceof ModelVersion version && version.getSpec() != null) {
            String model = version.getSpec().getModel();
            String namespace = version.getMetadata().getNamespace();
            if (perName.add("champion/" + namespace + "/" + model)) {
                Gauge.builder("modelops.model.champions", () -> count(ModelVersion.class, v -> model.equals(
                                v.getSpec().getModel()) && namespace.equals(v.getMetadata().getNamespace())
                                && v.getStatus() != null && Boolean.TRUE.equals(v.getStatus().getChampion())))
                        .description("Versions of a model that are its champion: 1, or 0 while none is deployed")
                        .tag("namespace", namespace).tag("model", model).register(registry);
            }
        } else if (resource instanceof BatchPrediction prediction) {
            String name = prediction.getMetadata().getName();
            String namespace = prediction.getMetadata().getNamespace();
            if (perName.add("missed/" + namespace + "/" + name)) {
                Gauge.builder("modelops.batchprediction.missed.runs", () -> missedRuns(namespace, name))
                        .description("Scheduled times of a BatchPrediction at which no run started")
                        .tag("namespace", namespace).tag("batchprediction", name).register(registry);
            }
        }
    }

    private double missedRuns(String namespace, String name) {
        return cache(BatchPrediction.class).flatMap(cache -> cache.get(new ResourceID(name, namespace)))
                .map(BatchPrediction::getStatus).map(status -> status.getMissedRuns())
                .map(missed -> missed.getCount()).map(Long::doubleValue).orElse(0.0);
    }

    private <R extends HasMetadata> double count(Class<R> kind, Predicate<R> which) {
        return cache(kind).map(cache -> cache.list(which).count()).orElse(0L);
    }

    @SuppressWarnings("unchecked")
    private <R extends HasMetadata> Optional<ControllerEventSource<R>> cache(Class<R> kind) {
        return Optional.ofNullable((ControllerEventSource<R>) caches.get(kind));
    }

    private static JobPhase phaseOf(ModelJob job) {
        return job.getStatus() == null || job.getStatus().getPhase() == null ? JobPhase.Pending
                : job.getStatus().getPhase();
    }

    private static Stage stageOf(ModelVersion version) {
        return version.getStatus() == null ? null : version.getStatus().getStage();
    }

    @Override
    public void receivedEvent(Event event, Map<String, Object> metadata) {
        sdk.receivedEvent(event, metadata);
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        sdk.reconcileCustomResource(resource, retryInfo, metadata);
    }

    /** Counted from the start, at 0, so that a dashboard and an alert see the series before the first failure. */
    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        sdk.failedReconciliation(resource, exception, metadata);
        Object controller = metadata.get(Constants.CONTROLLER_NAME);
        if (controller != null) {
            errors(controller.toString()).increment();
        }
    }

    private Counter errors(String controller) {
        return Counter.builder("modelops.reconcile.errors").description("Reconciles that failed, by controller")
                .tag("controller", controller).register(registry);
    }

    @Override
    public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
        sdk.reconciliationExecutionStarted(resource, metadata);
    }

    @Override
    public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
        sdk.reconciliationExecutionFinished(resource, metadata);
    }

    @Override
    public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
        sdk.cleanupDoneFor(resourceID, metadata);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        return sdk.timeControllerExecution(execution);
    }

    @Override
    public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
        return sdk.monitorSizeOf(map, name);
    }
}
