package dev.modelops.modelversion;

import dev.modelops.api.v1alpha1.Condition;
import dev.modelops.api.v1alpha1.DeployMode;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import dev.modelops.api.v1alpha1.ModelVersion;
import dev.modelops.api.v1alpha1.ModelVersionStatus;
import dev.modelops.api.v1alpha1.Stage;
import dev.modelops.cache.PrunedCaches;
import dev.modelops.common.Creates;
import dev.modelops.common.EventRecorder;
import dev.modelops.common.InformerLists;
import dev.modelops.common.Labels;
import dev.modelops.common.Names;
import dev.modelops.common.Owners;
import dev.modelops.common.StatusPatch;
import dev.modelops.lifecycle.GateInputs;
import dev.modelops.lifecycle.ChampionRecord;
import dev.modelops.lifecycle.Gates;
import dev.modelops.lifecycle.StepJob;
import dev.modelops.workload.JobSettings;
import dev.modelops.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Walks a ModelVersion through its life: creates each step's ModelJob when the one before succeeded, records the
 * first accepted decision, deploy and retire, serves the version online, and hands its model's champion over
 * through the model's champion record. The only writer of ModelVersion status; it meets the ModelJob controller
 * only in API objects.
 */
@ControllerConfiguration(name = "modelversion", informer = @Informer(informerListLimit = InformerLists.PAGE))
public class ModelVersionReconciler implements Reconciler<ModelVersion> {

    static final String COMPONENT = "modelops-operator";
    private static final String BY_VERSION = "byModelVersion";
    private static final String BY_MODEL = "byModel";
    private static final String MODEL_JOBS = "modeljobs";
    private static final String RECORDS = "championrecords";
    private static final String SERVING = "serving";
    /** A claim that waits for a champion that was deleted learns it from no event. */
    private static final Duration WAITING_RECHECK = Duration.ofSeconds(30);
    private static final long DEFAULT_DEPLOY_DEADLINE = 600;

    private final VersionStatusAggregator aggregator = new VersionStatusAggregator(new Gates());
    private final ServingResources serving;
    private final Clock clock;

    @Inject
    public ModelVersionReconciler(JobSettings settings, Clock clock) {
        this.serving = new ServingResources(new PodTemplates(settings));
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ModelVersion>> prepareEventSources(EventSourceContext<ModelVersion> context) {
        context.getPrimaryCache().addIndexer(BY_MODEL, version -> List.of(
                key(version.getMetadata().getNamespace(), version.getSpec().getModel())));
        var modelJobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(ModelJob.class, ModelVersion.class)
                .withName(MODEL_JOBS)
                .withItemStore(new PrunedCaches.StepStore())
                .withSecondaryToPrimaryMapper(job -> Set.of(new ResourceID(job.getSpec().getModelVersion(),
                        job.getMetadata().getNamespace())))
                .withInformerListLimit(InformerLists.PAGE)
                .build(), context);
        modelJobs.addIndexers(Map.of(BY_VERSION, job -> List.of(
                key(job.getMetadata().getNamespace(), job.getSpec().getModelVersion()))));
        var records = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, ModelVersion.class)
                .withName(RECORDS)
                .withLabelSelector(Labels.CHAMPION_OF)
                .withSecondaryToPrimaryMapper(record -> context.getPrimaryCache().byIndex(BY_MODEL,
                                key(record.getMetadata().getNamespace(), record.getMetadata().getLabels()
                                        .get(Labels.CHAMPION_OF)))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withInformerListLimit(InformerLists.PAGE)
                .build(), context);
        var deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, ModelVersion.class)
                .withName(SERVING)
                .withLabelSelector(Labels.SERVING)
                .withInformerListLimit(InformerLists.PAGE)
                .build(), context);
        return List.of(modelJobs, records, deployments);
    }

    @Override
    public UpdateControl<ModelVersion> reconcile(ModelVersion version, Context<ModelVersion> context) {
        Instant now = clock.instant();
        String namespace = version.getMetadata().getNamespace();
        KubernetesClient client = context.getClient();
        List<ModelJob> modelJobs = modelJobs(version, context);
        Optional<ChampionRecord> record = ((InformerEventSource<ConfigMap, ModelVersion>) context.eventSourceRetriever()
                .getEventSourceFor(ConfigMap.class, RECORDS))
                .get(new ResourceID(ChampionRecord.configMapName(version.getSpec().getModel()), namespace))
                .map(ChampionRecord::of);
        Optional<ModelVersion> champion = record.map(ChampionRecord::champion)
                .filter(name -> !name.equals(version.getMetadata().getName()))
                .flatMap(name -> existing(name, namespace, context));
        boolean championExists = record.map(ChampionRecord::champion).map(name ->
                name.equals(version.getMetadata().getName()) || champion.isPresent()).orElse(false);
        VersionObservation seen = new VersionObservation(version, modelJobs.stream().map(StepJob::of).toList(),
                record, championExists, champion.map(ModelVersionReconciler::champion), serving(version, context),
                now);
        var update = aggregator.next(seen);
        ModelVersion current = version;
        if (update.changed()) {
            ModelVersionStatus old = version.getStatus();
            current = StatusPatch.writeAndCache(version, update.status(), context);
            recordEvents(current, old, update.status(), client, now);
        }
        boolean conflict = false;
        for (VersionAction action : update.actions()) {
            conflict |= !carryOut(action, current, modelJobs, context, now);
        }
        if (conflict || current.getStatus().getStage() == Stage.Deploying) {
            return UpdateControl.<ModelVersion>noUpdate().rescheduleAfter(conflict ? Duration.ofSeconds(1)
                    : WAITING_RECHECK);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * The version's history: the ModelJobs that name it, less the steps of an earlier version of the same name that
     * the garbage collector has not removed yet (their controller is that version's uid).
     */
    private static List<ModelJob> modelJobs(ModelVersion version, Context<ModelVersion> context) {
        return ((InformerEventSource<ModelJob, ModelVersion>) context.eventSourceRetriever()
                .getEventSourceFor(ModelJob.class, MODEL_JOBS))
                .byIndex(BY_VERSION, key(version.getMetadata().getNamespace(), version.getMetadata().getName()))
                .stream().filter(job -> !Owners.controlledByAnother(job, version)).toList();
    }

    /**
     * The version the record names, from the cache; a miss is confirmed with the API server, once. The record is a
     * ConfigMap that people can edit: a name that is no object name names no version.
     */
    private static Optional<ModelVersion> existing(String name, String namespace, Context<ModelVersion> context) {
        if (!Names.isObjectName(name)) {
            return Optional.empty();
        }
        return context.getPrimaryCache().get(new ResourceID(name, namespace))
                .or(() -> Optional.ofNullable(context.getClient().resources(ModelVersion.class).inNamespace(namespace)
                        .withName(name).get()));
    }

    private static GateInputs.Champion champion(ModelVersion version) {
        return new GateInputs.Champion(version.getMetadata().getName(), version.getSpec().getVersion(),
                Optional.ofNullable(version.getStatus()).map(ModelVersionStatus::getMetrics).orElse(Map.of()));
    }

    private Serving serving(ModelVersion version, Context<ModelVersion> context) {
        if (version.getSpec().getDeploy() == null || version.getSpec().getDeploy().getMode() != DeployMode.Online) {
            return new Serving.None();
        }
        var refusal = serving.refusal(version);
        if (refusal.isPresent()) {
            return new Serving.Failed(refusal.get().message());
        }
        return context.getSecondaryResource(Deployment.class).map(ServingStates::of).orElseGet(Serving.None::new);
    }

    /** Carries out one action; false when another writer came first and the version is looked at again. */
    private boolean carryOut(VersionAction action, ModelVersion version, List<ModelJob> modelJobs,
            Context<ModelVersion> context, Instant now) {
        KubernetesClient client = context.getClient();
        String namespace = version.getMetadata().getNamespace();
        if (action instanceof VersionAction.CreateJob create) {
            Creates.ifAbsent(client, modelJob(version, create));
            return true;
        }
        if (action instanceof VersionAction.Serve) {
            serve(version, context.getSecondaryResource(Deployment.class), deployDeadline(version, modelJobs), client,
                    now);
            return true;
        }
        if (action instanceof VersionAction.StopServing) {
            String name = ServingResources.name(version);
            client.apps().deployments().inNamespace(namespace).withName(name).delete();
            client.services().inNamespace(namespace).withName(name).delete();
            return true;
        }
        VersionAction.WriteChampion write = (VersionAction.WriteChampion) action;
        return ChampionRecords.write(client, namespace, version.getSpec().getModel(), write.next());
    }

    /**
     * Makes the Deployment and Service that serve the version, or brings them to a changed {@code spec.deploy.online}
     * (a merge patch of the whole spec: a new pod template rolls the pods as any Deployment does).
     */
    private void serve(ModelVersion version, Optional<Deployment> current, long deadline, KubernetesClient client,
            Instant now) {
        String namespace = version.getMetadata().getNamespace();
        Deployment wanted = serving.deployment(version, deadline);
        Service service = serving.service(version);
        boolean serviceExisted = Creates.ifAbsent(client, service).isEmpty();
        EventRecorder events = new EventRecorder(client, COMPONENT);
        if (current.isEmpty()) {
            if (Creates.ifAbsent(client, wanted).isEmpty()) {
                return;
            }
        } else if (ServingResources.outdated(current.get(), wanted)) {
            String name = wanted.getMetadata().getName();
            client.apps().deployments().inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), wanted);
            if (serviceExisted) {
                client.services().inNamespace(namespace).withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), service);
            }
            events.record(version, VersionReason.ServingUpdated, "Deployment " + name
                    + " changed to spec.deploy.online of generation " + version.getMetadata().getGeneration(), now);
        } else {
            return;
        }
        serving.notRestricted(version).ifPresent(why -> events.record(version, VersionReason.PodSecurityRelaxed,
                why, now));
    }

    /** The Deploy ModelJob's deadline, else the version's, else ten minutes: the Deployment's progress deadline. */
    private static long deployDeadline(ModelVersion version, List<ModelJob> modelJobs) {
        String deploy = version.getStatus() == null || version.getStatus().getJobs() == null ? null
                : version.getStatus().getJobs().getDeploy();
        return modelJobs.stream().filter(job -> job.getMetadata().getName().equals(deploy))
                .map(job -> job.getSpec().getActiveDeadlineSeconds()).filter(Objects::nonNull).findFirst()
                .or(() -> Optional.ofNullable(version.getSpec().getActiveDeadlineSeconds()))
                .orElse(DEFAULT_DEPLOY_DEADLINE);
    }

    private static ModelJob modelJob(ModelVersion version, VersionAction.CreateJob create) {
        ModelJob job = new ModelJob();
        job.getMetadata().setName(create.name());
        job.getMetadata().setNamespace(version.getMetadata().getNamespace());
        job.getMetadata().setLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR,
                Labels.MODEL, version.getSpec().getModel(),
                Labels.MODEL_VERSION, version.getMetadata().getName(),
                Labels.JOB_TYPE, create.type().name()));
        job.getMetadata().setOwnerReferences(List.of(Owners.controller(version)));
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(create.type());
        spec.setModelVersion(version.getMetadata().getName());
        spec.setReason(create.reason());
        job.setSpec(spec);
        return job;
    }

    /** A summary Event on the version for each condition that changed: each step, decision, deploy and retire. */
    private static void recordEvents(ModelVersion version, ModelVersionStatus old, ModelVersionStatus next,
            KubernetesClient client, Instant now) {
        Map<String, Condition> before = Optional.ofNullable(old).map(ModelVersionStatus::getConditions)
                .orElse(List.of()).stream().collect(Collectors.toMap(Condition::getType, Function.identity()));
        EventRecorder events = new EventRecorder(client, COMPONENT);
        for (Condition condition : next.getConditions()) {
            Condition was = before.get(condition.getType());
            boolean changed = was == null || was.getStatus() != condition.getStatus()
                    || !was.getReason().equals(condition.getReason());
            if (changed && !condition.getType().equals(VersionCondition.Ready.name())) {
                events.record(version, VersionReason.valueOf(condition.getReason()),
                        condition.getType() + ": " + condition.getMessage(), now);
            }
        }
    }


    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
