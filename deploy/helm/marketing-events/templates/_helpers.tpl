{{/* Names and labels shared by every object of the chart. */}}
{{- define "marketing-events.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "marketing-events.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "marketing-events.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end -}}

{{- define "marketing-events.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "marketing-events.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "marketing-events.postgresql.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: postgresql
{{- end -}}

{{- define "marketing-events.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret holding DATABASE_URL and jwt.pem: the user's, or the chart's. */}}
{{- define "marketing-events.secretName" -}}
{{- default (include "marketing-events.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* A value generated once and kept: the live Secret's, else the given one, else new. */}}
{{- define "marketing-events.kept" -}}
{{- $secret := lookup "v1" "Secret" .context.Release.Namespace .secret -}}
{{- if and $secret (index $secret.data .key) -}}
{{- index $secret.data .key | b64dec -}}
{{- else if .given -}}
{{- .given -}}
{{- else -}}
{{- .generate -}}
{{- end -}}
{{- end -}}

{{- define "marketing-events.postgresql.password" -}}
{{- include "marketing-events.kept" (dict "context" . "secret" (include "marketing-events.postgresql.fullname" .) "key" "password" "given" .Values.postgresql.password "generate" (randAlphaNum 32)) -}}
{{- end -}}

{{- define "marketing-events.databaseUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- /* No password here: libpq reads PGPASSWORD, set from the PostgreSQL Secret, which is the
       only place the password is generated (two templates calling randAlphaNum disagree). */ -}}
{{- printf "postgresql://%s@%s:5432/%s" .Values.postgresql.username (include "marketing-events.postgresql.fullname" .) .Values.postgresql.database -}}
{{- else -}}
{{- required "secrets.databaseUrl is required when postgresql.enabled is false and no secrets.existingSecret is given" .Values.secrets.databaseUrl -}}
{{- end -}}
{{- end -}}

{{/* The environment every events-api container gets. */}}
{{- define "marketing-events.environment" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "marketing-events.secretName" . }}
      key: DATABASE_URL
{{- include "marketing-events.pgpassword" . }}
{{- end -}}

{{- define "marketing-events.pgpassword" -}}
{{- if .Values.postgresql.enabled }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "marketing-events.postgresql.fullname" . }}
      key: password
{{- end }}
{{- end -}}

{{- define "marketing-events.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "marketing-events.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* The rollout checksum of what the pods' Secrets hold, from what feeds them: the values
     (a given key or URL) and, with existingSecret, the two keys the pods read from that
     Secret (a live lookup: `helm template` and client-side dry runs see none). A generated key or
     password is left out: it is made once and kept across upgrades, and rendering the Secret a
     second time for a hash would make a different one (so the first upgrade would roll every
     pod although nothing changed). */}}
{{- define "marketing-events.secretChecksum" -}}
{{- $inputs := dict "secrets" .Values.secrets "postgresql" (pick .Values.postgresql "enabled" "username" "database") "host" (include "marketing-events.postgresql.fullname" .) -}}
{{- if .Values.secrets.existingSecret -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace .Values.secrets.existingSecret -}}
{{- $_ := set $inputs "existing" (pick (get $existing "data" | default dict) "DATABASE_URL" "jwt.pem") -}}
{{- end -}}
{{- $inputs | toJson | sha256sum -}}
{{- end -}}
