# Deploy-time enforcement. verifyImage (functions.tf) checks each pushed image against the verify policy and,
# when it passes, signs a VSA and records a Binary Authorization attestation: an ATTESTATION occurrence on the
# note below, signed with the VSA key. The attestor trusts only that key version, so "attested by this
# attestor" means "verifyImage passed it". Clusters listed in binauthz_enforced_clusters admit only such
# images (plus the allowlisted system images); nothing is enforced anywhere until a cluster is listed AND has
# Binary Authorization enabled (docs/deploy.md, "Deploy-time enforcement").
#
# IAM, least privilege (no containeranalysis.admin, no binaryauthorization.* role for any function):
#   verifyImage                 containeranalysis.notes.attacher on this note only; containeranalysis.occurrences.editor
#                               on var.project (occurrences live in the project; there is no narrower binding)
#   the attestor's service agent containeranalysis.notes.occurrences.viewer on this note only (to read attestations)

resource "google_container_analysis_note" "vsa" {
  count   = var.binauthz_enabled ? 1 : 0
  project = var.project
  name    = var.name_prefix

  attestation_authority {
    hint {
      human_readable_name = "tekton-provenance verifyImage: passed the verify policy"
    }
  }
}

resource "google_binary_authorization_attestor" "vsa" {
  count       = var.binauthz_enabled ? 1 : 0
  project     = var.project
  name        = var.name_prefix
  description = "Images tekton-provenance verifyImage verified against its policy (signed with the VSA key)."

  attestation_authority_note {
    note_reference = google_container_analysis_note.vsa[0].name

    # The VSA key versions vsa_attestor_first_version..vsa_signing_key_version, read from KMS. Each id is the
    # data source's //cloudkms.googleapis.com/v1/projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N,
    # the publicKeyId verifyImage names in each signature (shared/binauthz/public-key-id.ts). After a rotation
    # the images attested with an older version stay admitted; raise vsa_attestor_first_version to drop it.
    dynamic "public_keys" {
      for_each = data.google_kms_crypto_key_version.vsa_trusted
      content {
        id      = public_keys.value.id
        comment = "KMS key version ${public_keys.key}"
        pkix_public_key {
          public_key_pem      = public_keys.value.public_key[0].pem
          signature_algorithm = "ECDSA_P256_SHA256"
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.vsa_attestor_first_version >= 1 && var.vsa_attestor_first_version <= var.vsa_signing_key_version
      error_message = "vsa_attestor_first_version: expected 1 to vsa_signing_key_version (the attestor must trust the version verifyImage signs with)."
    }
  }
}

# The project's Binary Authorization policy, only when clusters are to be gated: the policy is a project
# singleton, so creating it replaces whatever policy the project had (and destroying it restores Google's
# default allow-all policy).
resource "google_binary_authorization_policy" "enforce" {
  count       = var.binauthz_enabled && length(var.binauthz_enforced_clusters) > 0 ? 1 : 0
  project     = var.project
  description = "Managed by tekton-provenance infra/binauthz.tf: listed clusters admit only images verifyImage attested."

  # Google-maintained system images (GKE add-ons) are admitted by Google's global policy.
  global_policy_evaluation_mode = "ENABLE"

  dynamic "admission_whitelist_patterns" {
    for_each = var.binauthz_allowlist_patterns
    content {
      name_pattern = admission_whitelist_patterns.value
    }
  }

  # Clusters not listed are not this module's business: everything is admitted there, as without a policy.
  default_admission_rule {
    evaluation_mode  = "ALWAYS_ALLOW"
    enforcement_mode = "ENFORCED_BLOCK_AND_AUDIT_LOG"
  }

  dynamic "cluster_admission_rules" {
    for_each = toset(var.binauthz_enforced_clusters)
    content {
      cluster                 = cluster_admission_rules.value
      evaluation_mode         = "REQUIRE_ATTESTATION"
      enforcement_mode        = "ENFORCED_BLOCK_AND_AUDIT_LOG"
      require_attestations_by = [google_binary_authorization_attestor.vsa[0].name]
    }
  }
}

# verifyImage attaches its attestations to this note, and to no other.
resource "google_container_analysis_note_iam_member" "vsa_attacher" {
  count   = var.binauthz_enabled ? 1 : 0
  project = var.project
  note    = google_container_analysis_note.vsa[0].name
  role    = "roles/containeranalysis.notes.attacher"
  member  = local.function_members.verify_image
}

# The attestation occurrences are created in the project (the note's).
resource "google_project_iam_member" "vsa_occurrences_editor" {
  count   = var.binauthz_enabled ? 1 : 0
  project = var.project
  role    = "roles/containeranalysis.occurrences.editor"
  member  = local.function_members.verify_image
}

# Binary Authorization reads the note's occurrences as the attestor's own service agent
# (delegation_service_account_email); the provider documents this grant as the attestor administrator's job.
resource "google_container_analysis_note_iam_member" "attestor_occurrences_viewer" {
  count   = var.binauthz_enabled ? 1 : 0
  project = var.project
  note    = google_container_analysis_note.vsa[0].name
  role    = "roles/containeranalysis.notes.occurrences.viewer"
  member  = "serviceAccount:${google_binary_authorization_attestor.vsa[0].attestation_authority_note[0].delegation_service_account_email}"
}
