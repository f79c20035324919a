# The four Cloud Functions (gen2, Node.js 20). Entry points are the names functions/index.ts registers.
#
# Sizing, and why:
# - attestRun: I/O-bound (1 GET + 1 LIST on the API server, 1 KMS sign per format, a few create-only GCS
#   writes), so one instance serves many events at once: concurrency 16 on 1 vCPU (gen2 needs >= 1 vCPU
#   for concurrency > 1). 512Mi: a 200-task PipelineRun and its TaskRuns are a few MB per request, and more
#   memory also shortens the cold start (the Kubernetes client import is ~0.6 s). Timeout 60 s: each client
#   call has its own shorter deadline (KUBE_TIMEOUT_MS); Tekton retries a 503 for ~20 s and reconcile catches
#   anything later. max 20 instances (320 requests in flight) caps the cost of a flood on the public sink.
# - signEvent: the EventListener waits only 10 s for response headers, so min 1 instance keeps one warm
#   (no cold start on the webhook path); timeout 15 s, as an answer after 10 s is discarded anyway.
# - reconcile: one sweep at a time (concurrency 1, max 1 instance) so sweeps never race each other; the
#   sweep pages through runs within its own time budget (RECONCILE_BUDGET_SECONDS) inside the 300 s timeout.
# - verifyImage: Pub/Sub pushes it Artifact Registry image notifications and attested events (pubsub.tf). Per
#   message: a LIST and a few GETs on the bucket, public keys from KMS (cached), one KMS sign for the VSA, one
#   create-only GCS write and one Container Analysis occurrence: I/O-bound, so concurrency 8 on 1 vCPU; 60 s
#   timeout, below the subscriptions' ack deadline so a slow answer is never redelivered while it still runs.
#
# Ingress and invokers: Tekton's CloudEvents sender and the Triggers EventListener send no credentials, so
# attestRun (sink_access = "public") and signEvent accept unauthenticated HTTPS. That is safe because
# attestRun only takes *which* run finished from the event and re-reads the run from the API server (uid must
# match), and signEvent signs only payloads whose GitHub HMAC verifies. reconcile needs a Google ID token and
# only the scheduler identity may invoke it (scheduler.tf). verifyImage is IAM-only as well: its one invoker is
# the Pub/Sub push identity (below). See docs/deploy.md for the proxy alternative.

locals {
  # The V8 heap attestRun runs with (npm run bench measures peak RSS at 80 concurrent 50-task events with
  # exactly this value): 128 MiB of old space keeps the process near 200 MiB, inside a 256 MiB budget,
  # because garbage is collected instead of piling up; what is live is bounded by MAX_INFLIGHT_ATTESTATIONS.
  attest_run_node_options = "--max-old-space-size=128"

  verify_image_name = "${var.name_prefix}-verify-image"
  verify_image_url  = google_cloudfunctions2_function.verify_image.service_config[0].uri
  # A function cannot read its own URL in its environment (a cycle): the default verifier.id is the
  # cloudfunctions.net URL every gen2 function also has, known before it exists.
  verifier_id = coalesce(var.verifier_id, "https://${var.region}-${var.project}.cloudfunctions.net/${local.verify_image_name}")

  # Every version up to the pinned one: attestations signed before a rotation still verify (docs/deploy.md keeps
  # old versions enabled for exactly this).
  verify_keys       = [for v in range(1, var.signing_key_version + 1) : "gcpkms://${google_kms_crypto_key.signing.id}/cryptoKeyVersions/${v}"]
  verify_event_keys = [for v in range(1, var.event_signing_key_version + 1) : "gcpkms://${google_kms_crypto_key.event_signing.id}/cryptoKeyVersions/${v}"]

  # verifyImage's whole environment: it verifies with the provenance and event keys, signs with the VSA key only
  # (no SIGNER: it holds no signer role on the provenance key), and attests to Binary Authorization when enabled.
  verify_image_env = {
    STORE             = local.store_ref
    VERIFY_KEYS       = join(",", local.verify_keys)
    VERIFY_EVENT_KEYS = join(",", local.verify_event_keys)
    VSA_SIGNER        = local.vsa_signer_ref
    VSA_POLICY        = local.verify_policy_ref
    BINAUTHZ_NOTE     = var.binauthz_enabled ? google_container_analysis_note.vsa[0].id : ""
    VERIFIER_ID       = local.verifier_id
    NODE_ENV          = "production"
    # The same heap setting as attestRun (see above).
    NODE_OPTIONS = local.attest_run_node_options
  }
}

resource "google_cloudfunctions2_function" "attest_run" {
  project  = var.project
  location = var.region
  name     = "${var.name_prefix}-attest-run"

  build_config {
    runtime         = "nodejs20"
    entry_point     = "attestRun"
    service_account = google_service_account.builder.id
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.attest_run.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_request_concurrency = 16
    timeout_seconds                  = 60
    min_instance_count               = var.attest_run_instances.min
    max_instance_count               = var.attest_run_instances.max
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    vpc_connector                    = var.vpc_connector
    vpc_connector_egress_settings    = var.vpc_connector == null ? null : "PRIVATE_RANGES_ONLY"
    environment_variables = merge(local.common_env, local.kube_env, {
      NODE_OPTIONS = local.attest_run_node_options
      # Where each stored attestation is announced (verifyImage listens there, pubsub.tf).
      ATTESTED_TOPIC = google_pubsub_topic.attested.id
    })
  }

  lifecycle {
    precondition {
      condition     = local.kube_endpoint != null && local.kube_ca_data != null
      error_message = "Set cluster_name (GKE) or both cluster_endpoint and cluster_ca_certificate."
    }
  }
}

resource "google_cloudfunctions2_function" "sign_event" {
  project  = var.project
  location = var.region
  name     = "${var.name_prefix}-sign-event"

  build_config {
    runtime         = "nodejs20"
    entry_point     = "signEvent"
    service_account = google_service_account.builder.id
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.sign_event.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_request_concurrency = 8
    timeout_seconds                  = 15
    min_instance_count               = var.sign_event_instances.min
    max_instance_count               = var.sign_event_instances.max
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables = merge(local.common_env, {
      WEBHOOK_SECRET_FILE = local.webhook_secret_file
      # Trigger events are signed with their own key (kms.tf); this identity holds no role on SIGNER's key.
      EVENT_SIGNER = local.event_signer_ref
      EVENT_TYPES  = join(",", var.event_types)
    })

    # The secret as a file (version "latest"), never a plain env var. Reading the file fetches the latest
    # version; signEvent re-reads it every WEBHOOK_SECRET_REFRESH_SECONDS (30 s), so a rotation (secret.tf)
    # reaches warm instances.
    secret_volumes {
      project_id = var.project
      secret     = local.webhook_secret_id
      mount_path = local.webhook_secret_dir
      versions {
        version = "latest"
        path    = "secret"
      }
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.webhook_accessor]
}

resource "google_cloudfunctions2_function" "reconcile" {
  project  = var.project
  location = var.region
  name     = "${var.name_prefix}-reconcile"

  build_config {
    runtime         = "nodejs20"
    entry_point     = "reconcile"
    service_account = google_service_account.builder.id
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.reconcile.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_request_concurrency = 1
    timeout_seconds                  = 300
    min_instance_count               = 0
    max_instance_count               = 1
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    vpc_connector                    = var.vpc_connector
    vpc_connector_egress_settings    = var.vpc_connector == null ? null : "PRIVATE_RANGES_ONLY"
    environment_variables = merge(local.common_env, local.kube_env, {
      RECONCILE_WINDOW     = var.reconcile_window
      RECONCILE_NAMESPACES = join(",", var.namespaces)
      # Stop starting new work after 240 s, well inside the 300 s timeout; the next call carries on.
      RECONCILE_BUDGET_SECONDS = "240"
      ATTESTED_TOPIC           = google_pubsub_topic.attested.id
    })
  }
}

resource "google_cloudfunctions2_function" "verify_image" {
  project  = var.project
  location = var.region
  name     = local.verify_image_name

  build_config {
    runtime         = "nodejs20"
    entry_point     = "verifyImage"
    service_account = google_service_account.builder.id
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.verify_image.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    max_instance_request_concurrency = 8
    timeout_seconds                  = 60
    min_instance_count               = var.verify_image_instances.min
    max_instance_count               = var.verify_image_instances.max
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables            = local.verify_image_env
  }

  lifecycle {
    precondition {
      condition     = var.binauthz_enabled || length(var.binauthz_enforced_clusters) == 0
      error_message = "binauthz_enforced_clusters needs binauthz_enabled = true (the policy requires the attestor)."
    }
  }

  depends_on = [google_storage_bucket_iam_member.verify_policy_reader]
}

# ---- invokers -----------------------------------------------------------------------------------------------

# Tekton cannot authenticate: the sink is public unless an authenticating proxy fronts it.
resource "google_cloud_run_service_iam_member" "attest_run_invoker" {
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.attest_run.name
  role     = "roles/run.invoker"
  member   = var.sink_access == "public" ? "allUsers" : var.proxy_invoker_member

  lifecycle {
    precondition {
      condition     = var.sink_access == "public" || (var.proxy_invoker_member != null && var.proxy_sink_url != null)
      error_message = "sink_access = \"proxy\" needs proxy_invoker_member and proxy_sink_url."
    }
  }
}

# The Triggers EventListener cannot authenticate either; the GitHub HMAC check is the guard.
resource "google_cloud_run_service_iam_member" "sign_event_invoker" {
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.sign_event.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Only the Pub/Sub push identity may call verifyImage (no allUsers): a forged call could not make it attest
# anything the store does not prove anyway, but it costs KMS signs.
resource "google_cloud_run_service_iam_member" "verify_image_invoker" {
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.verify_image.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.verify_push.email}"
}
