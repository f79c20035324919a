# Inputs of the tekton-provenance deployment. Only project, region, bucket_name and the cluster are required.

variable "project" {
  description = "Google Cloud project id that hosts the functions, the key and the bucket."
  type        = string
}

variable "region" {
  description = "Region of the functions, the scheduler job and (by default) the key ring and bucket."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every named resource (functions, service accounts, scheduler job)."
  type        = string
  default     = "tekton-provenance"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,17}$", var.name_prefix))
    error_message = "name_prefix: expected 3-18 lowercase letters, digits or dashes (service account ids are limited to 30 characters)."
  }
}

# ---- cluster -------------------------------------------------------------------------------------------------

variable "cluster_name" {
  description = "GKE cluster running Tekton. When null, set cluster_endpoint + cluster_ca_certificate (and kubeconfig_path for Terraform)."
  type        = string
  default     = null
}

variable "cluster_location" {
  description = "Zone or region of the GKE cluster."
  type        = string
  default     = null
}

variable "cluster_endpoint" {
  description = "API server URL the functions call when cluster_name is null, e.g. https://203.0.113.7."
  type        = string
  default     = null
}

variable "cluster_ca_certificate" {
  description = "Base64 of the API server's CA certificate (PEM) when cluster_name is null."
  type        = string
  default     = null
}

variable "kubeconfig_path" {
  description = "Kubeconfig Terraform uses for the cluster side when cluster_name is null."
  type        = string
  default     = "~/.kube/config"
}

variable "kubeconfig_context" {
  description = "Kubeconfig context for the cluster side when cluster_name is null."
  type        = string
  default     = null
}

variable "manage_kubernetes" {
  description = "Create the ClusterRole, bindings, config-events sink and ClusterInterceptor with Terraform. When false, apply the kubernetes_manifests output with kubectl."
  type        = bool
  default     = true
}

variable "tekton_pipelines_namespace" {
  description = "Namespace of Tekton Pipelines' config-events ConfigMap."
  type        = string
  default     = "tekton-pipelines"
}

variable "namespaces" {
  description = "Namespaces whose runs are attested and swept. Empty = all namespaces (ClusterRoleBinding); otherwise one RoleBinding per namespace."
  type        = list(string)
  default     = []
}

variable "vpc_connector" {
  description = "Serverless VPC Access connector for functions that call a private GKE endpoint (null = public endpoint)."
  type        = string
  default     = null
}

# ---- provenance ----------------------------------------------------------------------------------------------

variable "formats" {
  description = "Formats every run is attested in (CONTRACT §1)."
  type        = list(string)
  default     = ["slsa/v0.2"]
  validation {
    condition     = length(var.formats) > 0 && alltrue([for f in var.formats : contains(["slsa/v0.2", "slsa/v1.0", "tekton", "in-toto", "slsa/v1", "slsa/v2alpha3", "slsa/v2alpha4"], f)])
    error_message = "formats: expected a non-empty list of slsa/v0.2, slsa/v1.0, tekton (or the Chains aliases)."
  }
}

variable "builder_id" {
  description = "builder.id recorded in every statement."
  type        = string
  default     = "https://tekton.dev/chains/v2"
}

variable "build_type" {
  description = "SLSA v1.0 buildType flavour: slsa or slsa-tekton."
  type        = string
  default     = "slsa"
  validation {
    condition     = contains(["slsa", "slsa-tekton"], var.build_type)
    error_message = "build_type: expected slsa or slsa-tekton."
  }
}

variable "reconcile_window" {
  description = "How far back the scheduled sweep looks for completed runs (a duration: 90m, 24h, 2d)."
  type        = string
  default     = "24h"
}

# ---- key -----------------------------------------------------------------------------------------------------

variable "kms_location" {
  description = "Location of the key ring (defaults to region)."
  type        = string
  default     = null
}

variable "key_ring_name" {
  description = "KMS key ring name (key rings can never be deleted: pick it once)."
  type        = string
  default     = "tekton-provenance"
}

variable "key_name" {
  description = "KMS signing key name."
  type        = string
  default     = "attestations"
}

variable "kms_protection_level" {
  description = "HSM (FIPS 140-2 level 3, per-second quota) or SOFTWARE."
  type        = string
  default     = "HSM"
  validation {
    condition     = contains(["HSM", "SOFTWARE"], var.kms_protection_level)
    error_message = "kms_protection_level: expected HSM or SOFTWARE."
  }
}

variable "signing_key_version" {
  description = "Key version the functions sign with. Asymmetric keys have no primary version: rotate by creating a version and raising this number."
  type        = number
  default     = 1
}

variable "event_key_name" {
  description = "KMS key name for trigger events (signEvent's EVENT_SIGNER), apart from the provenance key."
  type        = string
  default     = "trigger-events"
}

variable "event_signing_key_version" {
  description = "Version of the event key signEvent signs with (rotate as signing_key_version)."
  type        = number
  default     = 1
}

variable "event_types" {
  description = "GitHub event types signEvent signs (EVENT_TYPES); `tag` admits tag pushes and tag creations."
  type        = list(string)
  default     = ["push", "pull_request", "release", "tag"]
}

# ---- bucket --------------------------------------------------------------------------------------------------

variable "bucket_name" {
  description = "Globally unique name of the attestation bucket."
  type        = string
}

variable "bucket_location" {
  description = "Bucket location (defaults to region)."
  type        = string
  default     = null
}

variable "retention_days" {
  description = "Retention policy: no object can be deleted or replaced until it is this old. 0 disables it (then object_versioning must be true)."
  type        = number
  default     = 3650
  validation {
    condition     = var.retention_days >= 0 && var.retention_days <= 36500
    error_message = "retention_days: expected 0 to 36500."
  }
}

variable "retention_locked" {
  description = "Lock the retention policy. IRREVERSIBLE: the period can then only grow and the bucket cannot be deleted before every object expires."
  type        = bool
  default     = false
}

variable "object_versioning" {
  description = "Keep replaced or deleted objects as noncurrent versions. GCS does not allow it together with a retention policy."
  type        = bool
  default     = false
}

variable "soft_delete_days" {
  description = "Soft-delete window: deleted objects stay restorable this long (0 to 90)."
  type        = number
  default     = 90
  validation {
    condition     = var.soft_delete_days == 0 || (var.soft_delete_days >= 7 && var.soft_delete_days <= 90)
    error_message = "soft_delete_days: expected 0 or 7 to 90."
  }
}

variable "coldline_after_days" {
  description = "Move attestations to COLDLINE after this many days (0 = never). Nothing is ever deleted by lifecycle."
  type        = number
  default     = 0
}

# ---- functions -----------------------------------------------------------------------------------------------

variable "source_dir" {
  description = "Directory produced by `npm run build:deploy` (defaults to ../build/deploy)."
  type        = string
  default     = null
}

variable "source_bucket_name" {
  description = "Bucket holding the function source zips (defaults to <project>-<name_prefix>-src)."
  type        = string
  default     = null
}

variable "sink_access" {
  description = "How Tekton reaches attestRun: public (unauthenticated HTTPS; safe because every run is re-read from the API server) or proxy (IAM-only; an in-cluster authenticating proxy adds an ID token)."
  type        = string
  default     = "public"
  validation {
    condition     = contains(["public", "proxy"], var.sink_access)
    error_message = "sink_access: expected public or proxy."
  }
}

variable "proxy_invoker_member" {
  description = "IAM member allowed to call attestRun in proxy mode, e.g. serviceAccount:proxy@P.iam.gserviceaccount.com."
  type        = string
  default     = null
}

variable "proxy_sink_url" {
  description = "URL of the in-cluster authenticating proxy written to config-events in proxy mode."
  type        = string
  default     = null
}

variable "attest_run_instances" {
  description = "min and max instances of attestRun."
  type        = object({ min = number, max = number })
  default     = { min = 0, max = 20 }
}

variable "sign_event_instances" {
  description = "min and max instances of signEvent (min 1: the EventListener waits only 10 s for an answer)."
  type        = object({ min = number, max = number })
  default     = { min = 1, max = 10 }
}

variable "reconcile_schedule" {
  description = "Cron schedule (UTC) of the reconcile sweep."
  type        = string
  default     = "*/15 * * * *"
}

variable "webhook_secret_id" {
  description = "Secret Manager secret id holding the GitHub webhook secret (its value is added out of band, never through Terraform)."
  type        = string
  default     = "tekton-provenance-webhook"
}

variable "create_webhook_secret" {
  description = "Create the (empty) webhook secret; false = it already exists in the project."
  type        = bool
  default     = true
}

variable "interceptor_ca_bundle_pem" {
  description = "PEM roots the EventListener trusts for signEvent's HTTPS URL (defaults to the shipped Google Trust Services roots, gts-roots.pem)."
  type        = string
  default     = null
}
