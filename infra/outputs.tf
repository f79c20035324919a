# What a platform team and a verifier need after `terraform apply`.

output "sink_url" {
  description = "URL in Tekton's config-events `sink` (attestRun, or the proxy in proxy mode)."
  value       = local.sink_url
}

output "attest_run_url" {
  description = "HTTPS URL of the attestRun function."
  value       = google_cloudfunctions2_function.attest_run.service_config[0].uri
}

output "interceptor_url" {
  description = "HTTPS URL of the signEvent function (the ClusterInterceptor's clientConfig.url)."
  value       = local.interceptor_url
}

output "interceptor_name" {
  description = "ClusterInterceptor name to reference from Triggers (after the github interceptor)."
  value       = local.k8s_interceptor.metadata.name
}

output "reconcile_url" {
  description = "HTTPS URL of the reconcile function (IAM-protected)."
  value       = google_cloudfunctions2_function.reconcile.service_config[0].uri
}

output "bucket" {
  description = "The --store value for tekton-provenance get / verify."
  value       = local.store_ref
}

output "kms_key" {
  description = "The --key / SIGNER value: gcpkms://…/cryptoKeyVersions/N."
  value       = local.signer_ref
}

output "public_key_pem" {
  description = "PEM public key of the signing key version, for verifiers without KMS access (cosign, openssl)."
  value       = data.google_kms_crypto_key_version.signing.public_key[0].pem
}

output "event_kms_key" {
  description = "The verify --event-key / EVENT_SIGNER value of the trigger-event key: gcpkms://…/cryptoKeyVersions/N."
  value       = local.event_signer_ref
}

output "event_public_key_pem" {
  description = "PEM public key of the trigger-event key version (verify --event-key for verifiers without KMS access)."
  value       = data.google_kms_crypto_key_version.event_signing.public_key[0].pem
}

output "vsa_kms_key" {
  description = "The VSA_SIGNER reference of the VSA key verifyImage signs VSAs and attestations with: gcpkms://…/cryptoKeyVersions/N."
  value       = local.vsa_signer_ref
}

output "vsa_public_key_pem" {
  description = "PEM public key of the VSA key version (verifies VSAs without KMS access; the attestor holds the same key)."
  value       = data.google_kms_crypto_key_version.vsa.public_key[0].pem
}

output "attestor" {
  description = "Binary Authorization attestor (projects/P/attestors/A) to require in a cluster's policy; null when binauthz_enabled = false."
  value       = var.binauthz_enabled ? google_binary_authorization_attestor.vsa[0].id : null
}

output "binauthz_note" {
  description = "Container Analysis note (projects/P/notes/N) verifyImage attaches attestations to (BINAUTHZ_NOTE); null when disabled."
  value       = var.binauthz_enabled ? google_container_analysis_note.vsa[0].id : null
}

output "attested_topic" {
  description = "Topic attestRun and reconcile publish each stored attestation to (ATTESTED_TOPIC)."
  value       = google_pubsub_topic.attested.id
}

output "verify_image_url" {
  description = "HTTPS URL of the verifyImage function (IAM-protected; Pub/Sub pushes to it)."
  value       = local.verify_image_url
}

output "service_accounts" {
  description = "Email of each function identity (for audits and the RBAC subjects)."
  value = {
    attestRun   = google_service_account.attest_run.email
    signEvent   = google_service_account.sign_event.email
    reconcile   = google_service_account.reconcile.email
    scheduler   = google_service_account.scheduler.email
    verifyImage = google_service_account.verify_image.email
    verifyPush  = google_service_account.verify_push.email
  }
}

output "kubernetes_manifests" {
  description = "The cluster side as YAML, for `kubectl apply -f -` when manage_kubernetes = false."
  value       = join("", [for k in sort(keys(local.k8s_manifests)) : "---\n${yamlencode(local.k8s_manifests[k])}"])
}

output "sink_patch_command" {
  description = "Sets only the `sink` key of config-events (when manage_kubernetes = false)."
  value       = "kubectl -n ${var.tekton_pipelines_namespace} patch configmap config-events --type merge -p '${jsonencode({ data = { sink = local.sink_url } })}'"
}
