{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "leadqual.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: "<release>-<chart>" unless the release name already contains the chart name.
It names the FlinkDeployment, and so the Flink cluster id, which the HA metadata is keyed by.
Kubernetes service names derived from it must fit in 45 characters (the operator appends
"-rest"), so it is cut there rather than at 63.
*/}}
{{- define "leadqual.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value.
*/}}
{{- define "leadqual.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels.
*/}}
{{- define "leadqual.selectorLabels" -}}
app.kubernetes.io/name: {{ include "leadqual.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "leadqual.labels" -}}
helm.sh/chart: {{ include "leadqual.chart" . }}
{{ include "leadqual.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: leadqual
{{- end }}

{{/*
The image reference.
*/}}
{{- define "leadqual.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/*
Whether the values give credentials inline ("true" or "").
*/}}
{{- define "leadqual.inlineCredentials" -}}
{{- with .Values.credentials }}
{{- if or .kafkaProperties .registryUser .registryPassword }}true{{ end }}
{{- end }}
{{- end }}

{{/*
Name of the Secret the credentials come from: the existing one, the chart's own, or "" for none.
Giving both an existing Secret and inline credentials is refused.
*/}}
{{- define "leadqual.secretName" -}}
{{- $inline := include "leadqual.inlineCredentials" . }}
{{- if and .Values.credentials.existingSecret $inline }}
{{- fail "credentials: set either existingSecret or the inline values (kafkaProperties, registryUser, registryPassword), not both" }}
{{- end }}
{{- if .Values.credentials.existingSecret }}
{{- .Values.credentials.existingSecret }}
{{- else if $inline }}
{{- printf "%s-credentials" (include "leadqual.fullname" .) }}
{{- end }}
{{- end }}

{{/*
The Flink configuration as flat "key: value" lines, every value a string: flinkConfiguration
from the values plus the Prometheus reporter when metrics are on. Shared by the FlinkDeployment
and the config map, so both always hold the same settings.
*/}}
{{- define "leadqual.flinkConfiguration" -}}
{{- $conf := dict }}
{{- if .Values.metrics.prometheus.enabled }}
{{- $_ := set $conf "metrics.reporter.prom.factory.class" "org.apache.flink.metrics.prometheus.PrometheusReporterFactory" }}
{{- $_ := set $conf "metrics.reporter.prom.port" (.Values.metrics.prometheus.port | int | toString) }}
{{- end }}
{{- range $key, $value := .Values.flinkConfiguration }}
{{- if not (kindIs "invalid" $value) }}
{{- $_ := set $conf $key (toString $value) }}
{{- end }}
{{- end }}
{{- $maxParallelism := get $conf "pipeline.max-parallelism" }}
{{- if and $maxParallelism (gt (int .Values.job.parallelism) (int $maxParallelism)) }}
{{- fail (printf "job.parallelism (%v) exceeds pipeline.max-parallelism (%v): raise max parallelism only before the first deployment" .Values.job.parallelism $maxParallelism) }}
{{- end }}
{{- range $key, $value := $conf }}
{{ $key }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/*
Environment variables of one optional adapter (dict "prefix" "LLM" "adapter" .Values.adapters.llm),
named as the job reads its arguments from the environment: --llm.breaker.failures is
LEADQUAL_LLM_BREAKER_FAILURES. Nothing when the adapter has no url; an empty value is left out (the
job's default applies). The API key comes from a Secret, never from the values.
*/}}
{{- define "leadqual.adapterEnv" -}}
{{- $prefix := .prefix }}
{{- $a := .adapter }}
{{- if $a.url }}
- name: LEADQUAL_{{ $prefix }}_URL
  value: {{ $a.url | quote }}
{{- $names := dict "model" "MODEL" "intentBelow" "INTENT_BELOW" "timeout" "TIMEOUT" "retries" "RETRIES" "backoff" "BACKOFF" "breakerFailures" "BREAKER_FAILURES" "breakerCooldown" "BREAKER_COOLDOWN" "budgetPerMinute" "BUDGET_PER_MINUTE" "capacity" "CAPACITY" }}
{{- range $key, $env := $names }}
{{- $value := get $a $key }}
{{- if and (hasKey $a $key) (not (kindIs "invalid" $value)) (ne (toString $value) "") }}
- name: LEADQUAL_{{ $prefix }}_{{ $env }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- with $a.apiKeySecret }}
{{- if .name }}
- name: LEADQUAL_{{ $prefix }}_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .name }}
      key: {{ .key | default "api-key" }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
