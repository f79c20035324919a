# Identities. One service account per function, each holding only what its code path calls:
#
#   identity     KMS (one key each)              bucket (that one bucket)        Kubernetes (read-only RBAC)    other
#   attestRun    signer + publicKeyViewer (prov) objectCreator + objectViewer    get/list/watch runs            clusterViewer
#   signEvent    signer + publicKeyViewer (event) objectCreator + objectViewer   none                           secretAccessor on the webhook secret
#   reconcile    signer + publicKeyViewer (prov) objectCreator + objectViewer    get/list/watch runs            clusterViewer
#
# prov is google_kms_crypto_key.signing (provenance), event is google_kms_crypto_key.event_signing: the public
# interceptor's identity cannot sign provenance, and the sink's cannot sign trigger events.
#   scheduler    -                               -                               -                              run.invoker on reconcile only
#   builder      -                               objectViewer on the source bucket                              logWriter, artifactregistry.writer
#   verifyImage  signerVerifier + pkViewer (vsa) objectCreator + objectViewer    none                           binauthz.tf, pubsub.tf
#                publicKeyViewer (prov, event)   objectViewer on the policy bucket
#   verifyPush   -                               -                               -                              run.invoker on verifyImage only
#
# vsa is google_kms_crypto_key.vsa: only verifyImage signs with it (verification summaries and Binary
# Authorization attestations); it only reads the public keys of the other two, to verify what they signed.
# On the vsa key it holds roles/cloudkms.signerVerifier (sign; its useToVerify only matters for MAC keys) plus
# publicKeyViewer, which KmsSigner needs for GetPublicKey whatever signerVerifier includes. verifyPush is the identity
# Pub/Sub pushes to verifyImage as (an OIDC token); it can do nothing but call verifyImage.
#
# objectCreator has storage.objects.create but not storage.objects.delete, and GCS needs delete to overwrite:
# a function cannot remove or replace an attestation, even with a bug. No basic role (owner/editor/viewer) and
# no *Admin role is granted anywhere. roles/container.clusterViewer only lets the identity reach the cluster
# (container.clusters.get/list); what it may read inside is decided by the RBAC in kubernetes.tf. It is
# project-wide because GKE IAM has no per-cluster binding; roles/container.viewer (which reads every object)
# is deliberately not used.

resource "google_service_account" "attest_run" {
  project      = var.project
  account_id   = "${var.name_prefix}-attest-run"
  display_name = "tekton-provenance attestRun (CloudEvents sink)"
}

resource "google_service_account" "sign_event" {
  project      = var.project
  account_id   = "${var.name_prefix}-sign-event"
  display_name = "tekton-provenance signEvent (Triggers interceptor)"
}

resource "google_service_account" "reconcile" {
  project      = var.project
  account_id   = "${var.name_prefix}-reconcile"
  display_name = "tekton-provenance reconcile (scheduled sweep)"
}

resource "google_service_account" "scheduler" {
  project      = var.project
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "tekton-provenance Cloud Scheduler caller of reconcile"
}

resource "google_service_account" "verify_image" {
  project      = var.project
  account_id   = "${var.name_prefix}-verify-image"
  display_name = "tekton-provenance verifyImage (VSA and Binary Authorization attestor)"
}

resource "google_service_account" "verify_push" {
  project      = var.project
  account_id   = "${var.name_prefix}-verify-push"
  display_name = "tekton-provenance Pub/Sub push caller of verifyImage"
}

resource "google_service_account" "builder" {
  project      = var.project
  account_id   = "${var.name_prefix}-builder"
  display_name = "tekton-provenance Cloud Build for the functions"
}

locals {
  # Every identity that signs and stores.
  function_members = {
    attest_run = "serviceAccount:${google_service_account.attest_run.email}"
    sign_event = "serviceAccount:${google_service_account.sign_event.email}"
    reconcile  = "serviceAccount:${google_service_account.reconcile.email}"
    # Stores VSAs next to the attestations it verified (create-only, like the others).
    verify_image = "serviceAccount:${google_service_account.verify_image.email}"
  }
  # The identities that sign provenance with the provenance key (signEvent has the event key instead).
  provenance_signers = {
    attest_run = "serviceAccount:${google_service_account.attest_run.email}"
    reconcile  = "serviceAccount:${google_service_account.reconcile.email}"
  }
  # The identities that read runs from the Kubernetes API.
  kube_reader_members = {
    attest_run = "serviceAccount:${google_service_account.attest_run.email}"
    reconcile  = "serviceAccount:${google_service_account.reconcile.email}"
  }
}

# ---- KMS: sign with one key, read its public key (KmsSigner checks the key id and algorithm) ------------------

resource "google_kms_crypto_key_iam_member" "signer" {
  for_each      = local.provenance_signers
  crypto_key_id = google_kms_crypto_key.signing.id
  role          = "roles/cloudkms.signer"
  member        = each.value
}

resource "google_kms_crypto_key_iam_member" "public_key_viewer" {
  for_each      = local.provenance_signers
  crypto_key_id = google_kms_crypto_key.signing.id
  role          = "roles/cloudkms.publicKeyViewer"
  member        = each.value
}

resource "google_kms_crypto_key_iam_member" "event_signer" {
  crypto_key_id = google_kms_crypto_key.event_signing.id
  role          = "roles/cloudkms.signer"
  member        = local.function_members.sign_event
}

resource "google_kms_crypto_key_iam_member" "event_public_key_viewer" {
  crypto_key_id = google_kms_crypto_key.event_signing.id
  role          = "roles/cloudkms.publicKeyViewer"
  member        = local.function_members.sign_event
}

# verifyImage signs with the VSA key only, and reads the public keys of the provenance and event keys.
resource "google_kms_crypto_key_iam_member" "vsa_signer" {
  crypto_key_id = google_kms_crypto_key.vsa.id
  role          = "roles/cloudkms.signerVerifier"
  member        = local.function_members.verify_image
}

resource "google_kms_crypto_key_iam_member" "vsa_public_key_viewer" {
  crypto_key_id = google_kms_crypto_key.vsa.id
  role          = "roles/cloudkms.publicKeyViewer"
  member        = local.function_members.verify_image
}

resource "google_kms_crypto_key_iam_member" "verify_provenance_key_viewer" {
  crypto_key_id = google_kms_crypto_key.signing.id
  role          = "roles/cloudkms.publicKeyViewer"
  member        = local.function_members.verify_image
}

resource "google_kms_crypto_key_iam_member" "verify_event_key_viewer" {
  crypto_key_id = google_kms_crypto_key.event_signing.id
  role          = "roles/cloudkms.publicKeyViewer"
  member        = local.function_members.verify_image
}

# ---- Storage: create and read in the one bucket; never delete, never overwrite --------------------------------

resource "google_storage_bucket_iam_member" "object_creator" {
  for_each = local.function_members
  bucket   = google_storage_bucket.attestations.name
  role     = "roles/storage.objectCreator"
  member   = each.value
}

resource "google_storage_bucket_iam_member" "object_viewer" {
  for_each = local.function_members
  bucket   = google_storage_bucket.attestations.name
  role     = "roles/storage.objectViewer"
  member   = each.value
}

# verifyImage reads the verify policy; only the deployer (Terraform) writes it.
resource "google_storage_bucket_iam_member" "verify_policy_reader" {
  bucket = google_storage_bucket.policy.name
  role   = "roles/storage.objectViewer"
  member = local.function_members.verify_image
}

# ---- GKE: reach the API server; RBAC (kubernetes.tf) limits it to reading runs ----------------------------------

resource "google_project_iam_member" "cluster_viewer" {
  for_each = local.kube_reader_members
  project  = var.project
  role     = "roles/container.clusterViewer"
  member   = each.value
}

# ---- Secret Manager: signEvent reads the one webhook secret ------------------------------------------------------

resource "google_secret_manager_secret_iam_member" "webhook_accessor" {
  project   = var.project
  secret_id = local.webhook_secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.function_members.sign_event
}

# ---- Cloud Build of the function source ------------------------------------------------------------------------

resource "google_project_iam_member" "builder_logs" {
  project = var.project
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_project_iam_member" "builder_images" {
  project = var.project
  role    = "roles/artifactregistry.writer"
  member  = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_storage_bucket_iam_member" "builder_source" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.builder.email}"
}
