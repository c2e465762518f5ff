{{- define "modelops-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "modelops-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "modelops-operator.labels" -}}
{{ include "modelops-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "modelops-operator.serviceAccountName" -}}
{{- default (include "modelops-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- /* What the operator reads and writes, nothing more (ChartRbacIT checks these rules against every request the
operator made in the test suites): the ModelJob controller launches and suspends Jobs, watches their pods and reads
their logs, keeps the logs in a ConfigMap and records Events; the ModelVersion controller creates its steps' ModelJobs,
writes the champion records and serves online versions; the BatchPrediction controller keeps a CronJob and adopts
its runs. */ -}}
{{- define "modelops-operator.rules" -}}
- apiGroups: [modelops.dev]
  # each step's ModelJob and each run's; a run beyond the history is deleted, one replaced by run now stopped
  resources: [modeljobs]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [modelops.dev]
  # get: a request's version read again when the cache may be stale (a refusal is final)
  resources: [modelversions]
  verbs: [get, list, watch]
- apiGroups: [modelops.dev]
  resources: [batchpredictions]
  verbs: [list, watch]
- apiGroups: [modelops.dev]
  resources: [modeljobs/status, modelversions/status, batchpredictions/status]
  verbs: [patch]
- apiGroups: [batch]
  # a BatchPrediction's CronJob
  resources: [cronjobs]
  verbs: [get, list, watch, create, update, patch]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, patch]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
- apiGroups: [""]
  # kept logs (get, create); the models' champion records (list, watch, update)
  resources: [configmaps]
  verbs: [get, list, watch, create, update]
- apiGroups: [apps]
  # online serving of a deployed version (patch: to a changed spec.deploy.online)
  resources: [deployments]
  verbs: [list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [services]
  verbs: [create, patch, delete]
- apiGroups: [""]
  resources: [events]
  # list: the Job controller's FailedCreate Events say why a Job has no pod
  verbs: [get, list, create, patch]
{{- end -}}

{{- define "modelops-operator.leaseName" -}}
{{- default (include "modelops-operator.fullname" .) .Values.leaderElection.leaseName -}}
{{- end -}}
