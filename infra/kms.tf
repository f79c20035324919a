# The signing keys: Cloud KMS asymmetric P-256 keys, one for provenance (attestRun, reconcile), one for
# trigger events (signEvent), so the public interceptor's identity can never sign a provenance statement, and
# one for verification summaries (verifyImage's VSAs and Binary Authorization attestations, `vsa`).
# Their private halves never leave KMS; the functions only call AsymmetricSign on one pinned version each
# (asymmetric keys have no primary version).

locals {
  kms_location = coalesce(var.kms_location, var.region)
  # The SIGNER / --key reference (CONTRACT §3): gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N
  signing_key_version_name = "${google_kms_crypto_key.signing.id}/cryptoKeyVersions/${var.signing_key_version}"
  signer_ref               = "gcpkms://${local.signing_key_version_name}"
  # The EVENT_SIGNER / verify --event-key reference of the event key.
  event_key_version_name = "${google_kms_crypto_key.event_signing.id}/cryptoKeyVersions/${var.event_signing_key_version}"
  event_signer_ref       = "gcpkms://${local.event_key_version_name}"
  # The VSA_SIGNER reference of the VSA key (verifyImage only).
  vsa_key_version_name = "${google_kms_crypto_key.vsa.id}/cryptoKeyVersions/${var.vsa_signing_key_version}"
  vsa_signer_ref       = "gcpkms://${local.vsa_key_version_name}"
}

resource "google_kms_key_ring" "provenance" {
  project  = var.project
  name     = var.key_ring_name
  location = local.kms_location

  # Key rings cannot be deleted in Cloud KMS; a destroy would only forget it.
  lifecycle {
    prevent_destroy = true
  }
}

resource "google_kms_crypto_key" "signing" {
  name     = var.key_name
  key_ring = google_kms_key_ring.provenance.id
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    # ECDSA P-256 over SHA-256: what cosign, Chains and `openssl dgst -sha256 -verify` expect.
    algorithm        = "EC_SIGN_P256_SHA256"
    protection_level = var.kms_protection_level
  }

  # Longest delay (120 days) between "destroy version" and the key material being gone.
  destroy_scheduled_duration = "10368000s"

  # Losing the key makes every attestation unverifiable from KMS: never destroy it with Terraform.
  lifecycle {
    prevent_destroy = true
  }
}

# The public key of the pinned version, published as an output for verifiers.
data "google_kms_crypto_key_version" "signing" {
  crypto_key = google_kms_crypto_key.signing.id
  version    = var.signing_key_version
}

# The trigger-event key: same algorithm and protection as the provenance key, never destroyed by Terraform
# (losing it makes every signed event unverifiable, and with it every requireTriggerEvent release).
resource "google_kms_crypto_key" "event_signing" {
  name     = var.event_key_name
  key_ring = google_kms_key_ring.provenance.id
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm        = "EC_SIGN_P256_SHA256"
    protection_level = var.kms_protection_level
  }

  destroy_scheduled_duration = "10368000s"

  lifecycle {
    prevent_destroy = true
  }
}

# The public key of the pinned event key version, for `verify --event-key`.
data "google_kms_crypto_key_version" "event_signing" {
  crypto_key = google_kms_crypto_key.event_signing.id
  version    = var.event_signing_key_version
}

# The verification-summary key: verifyImage signs SLSA VSAs and the Binary Authorization attestation of each
# image that passed with it, and nothing else does (iam.tf). Same algorithm and protection as the other two,
# never destroyed by Terraform: the attestor (binauthz.tf) trusts exactly this key version.
resource "google_kms_crypto_key" "vsa" {
  name     = var.vsa_key_name
  key_ring = google_kms_key_ring.provenance.id
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm        = "EC_SIGN_P256_SHA256"
    protection_level = var.kms_protection_level
  }

  destroy_scheduled_duration = "10368000s"

  lifecycle {
    prevent_destroy = true
  }
}

# The pinned VSA key version: its public key goes into the attestor and the vsa_public_key_pem output. Its id
# is //cloudkms.googleapis.com/v1/<key>/cryptoKeyVersions/<N>, the attestor key id Binary Authorization matches
# against each attestation signature's publicKeyId.
data "google_kms_crypto_key_version" "vsa" {
  crypto_key = google_kms_crypto_key.vsa.id
  version    = var.vsa_signing_key_version
}

# Every VSA key version the attestor trusts, the pinned one included (keyed by version number).
data "google_kms_crypto_key_version" "vsa_trusted" {
  for_each   = { for v in range(var.vsa_attestor_first_version, var.vsa_signing_key_version + 1) : tostring(v) => v }
  crypto_key = google_kms_crypto_key.vsa.id
  version    = each.value
}
