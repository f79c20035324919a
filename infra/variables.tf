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
  description = "Prefix of every named resource (functions, service accounts, scheduler job, topics, subscriptions, attestor)."
  type        = string
  default     = "tekton-provenance"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,16}$", var.name_prefix))
    error_message = "name_prefix: expected 3-17 lowercase letters, digits or dashes (service account ids are limited to 30 characters, and <prefix>-verify-image is the longest)."
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

variable "vsa_key_name" {
  description = "KMS key name verifyImage signs verification summaries (VSAs) and Binary Authorization attestations with (VSA_SIGNER)."
  type        = string
  default     = "vsa"
}

variable "vsa_signing_key_version" {
  description = "Version of the VSA key verifyImage signs with and the attestor trusts (rotate as signing_key_version)."
  type        = number
  default     = 1
}

variable "vsa_attestor_first_version" {
  description = "Oldest VSA key version the Binary Authorization attestor still trusts (it trusts every version from here to vsa_signing_key_version); raise it to stop admitting images attested with older versions."
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

# ---- verification (verifyImage) ------------------------------------------------------------------------------

variable "verify_policy_file" {
  description = "Policy file verifyImage checks images against (CONTRACT §3 policy format), uploaded to the policy bucket. A relative path is relative to infra/."
  type        = string
  default     = "../examples/tep-0084/policy.yaml"
}

variable "policy_bucket_name" {
  description = "Bucket holding the verify policy (defaults to <project>-<name_prefix>-policy). Kept apart from the attestation bucket, whose retention policy would forbid replacing the policy."
  type        = string
  default     = null
}

variable "verifier_id" {
  description = "verifier.id of the VSAs verifyImage signs (VERIFIER_ID, an absolute URI). Null = the function's https://<region>-<project>.cloudfunctions.net/<name> URL."
  type        = string
  default     = null
}

variable "verify_image_instances" {
  description = "min and max instances of verifyImage."
  type        = object({ min = number, max = number })
  default     = { min = 0, max = 10 }
}

# ---- Binary Authorization --------------------------------------------------------------------------------------

variable "binauthz_enabled" {
  description = "Create the Container Analysis note and the Binary Authorization attestor verifyImage attests images with (BINAUTHZ_NOTE is empty when false)."
  type        = bool
  default     = true
}

variable "binauthz_enforced_clusters" {
  description = "GKE clusters (location.cluster-id, e.g. europe-west1.prod) whose pods must carry the attestor's attestation. Non-empty = Terraform manages the project's whole Binary Authorization policy."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.binauthz_enforced_clusters : can(regex("^[a-z0-9-]+\\.[a-z][a-z0-9-]*$", c))])
    error_message = "binauthz_enforced_clusters: expected location.cluster-id entries, e.g. europe-west1.prod or europe-west1-b.prod."
  }
}

variable "binauthz_allowlist_patterns" {
  description = "Image name patterns the Binary Authorization policy always admits (system images; Google's own are also covered by the global policy)."
  type        = list(string)
  default = [
    "gcr.io/google_containers/*",
    "gcr.io/google-containers/*",
    "gcr.io/gke-release/*",
    "gke.gcr.io/*",
    "registry.k8s.io/*",
  ]
}

# ---- Pub/Sub -----------------------------------------------------------------------------------------------------

variable "registry_topic" {
  description = "Topic Artifact Registry publishes image notifications to, pushed to verifyImage. Null = projects/<project>/topics/gcr (Artifact Registry publishes only to a topic named gcr in the repository's project)."
  type        = string
  default     = null
}

variable "create_registry_topic" {
  description = "Create the gcr topic in project; false = it already exists (or registry_topic names another project's)."
  type        = bool
  default     = true
}

variable "grant_pubsub_token_creator" {
  description = "Let the Pub/Sub service agent mint OIDC tokens for the push identity only (needed in projects whose Pub/Sub service agent predates 2021-04-08; harmless otherwise)."
  type        = bool
  default     = true
}

variable "verify_dead_letter" {
  description = "Move a message verifyImage keeps failing on to a dead-letter topic (with a pull subscription to inspect it) after verify_max_delivery_attempts."
  type        = bool
  default     = false
}

variable "verify_max_delivery_attempts" {
  description = "Delivery attempts before a message goes to the dead-letter topic (5 to 100; with verify_dead_letter)."
  type        = number
  default     = 10
  validation {
    condition     = var.verify_max_delivery_attempts >= 5 && var.verify_max_delivery_attempts <= 100
    error_message = "verify_max_delivery_attempts: expected 5 to 100."
  }
}
