# The attestation bucket: private, uniform IAM, write-once by IAM (writers hold objectCreator, which cannot
# overwrite or delete) and by policy (retention, or object versioning: GCS allows only one of the two).
#
# Lifecycle: nothing is ever deleted by a rule. Objects are small (a few KB) and read at verify time; the only
# optional rule moves them to COLDLINE after coldline_after_days (cheaper storage, dearer reads, 90-day minimum).
# With a retention policy an object can be deleted only once older than retention_days; a locked policy binds
# the project owner too. Soft delete keeps anything deleted restorable for soft_delete_days.

locals {
  bucket_location = coalesce(var.bucket_location, var.region)
  store_ref       = "gs://${google_storage_bucket.attestations.name}"
}

resource "google_storage_bucket" "attestations" {
  project                     = var.project
  name                        = var.bucket_name
  location                    = local.bucket_location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # A destroy must never empty the bucket.
  force_destroy = false

  dynamic "retention_policy" {
    for_each = var.retention_days > 0 ? [var.retention_days] : []
    content {
      retention_period = retention_policy.value * 86400
      is_locked        = var.retention_locked
    }
  }

  versioning {
    enabled = var.object_versioning
  }

  soft_delete_policy {
    retention_duration_seconds = var.soft_delete_days * 86400
  }

  dynamic "lifecycle_rule" {
    for_each = var.coldline_after_days > 0 ? [var.coldline_after_days] : []
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type          = "SetStorageClass"
        storage_class = "COLDLINE"
      }
    }
  }

  lifecycle {
    prevent_destroy = true
    precondition {
      condition     = (var.retention_days > 0) != var.object_versioning
      error_message = "Choose exactly one protection: retention_days > 0 (recommended) or object_versioning = true; GCS refuses both on one bucket."
    }
    precondition {
      condition     = !var.retention_locked || var.retention_days > 0
      error_message = "retention_locked needs retention_days > 0."
    }
  }
}

# Function source archives (not attestations): private. Archive names carry their MD5, so Terraform replaces
# (and deletes) the old archive when the source changes.
resource "google_storage_bucket" "source" {
  project                     = var.project
  name                        = coalesce(var.source_bucket_name, "${var.project}-${var.name_prefix}-src")
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
}

# The verify policy verifyImage checks images against (VSA_POLICY). A bucket of its own, not policies/ in the
# attestation bucket: that bucket's retention policy (default 10 years, possibly locked) forbids replacing or
# deleting an object, so a policy placed there could never be changed, and the attestation bucket stays
# attestations only. Versioned, so every policy a VSA names stays readable after it is replaced; only the
# deployer writes here, verifyImage reads (iam.tf).
resource "google_storage_bucket" "policy" {
  project                     = var.project
  name                        = coalesce(var.policy_bucket_name, "${var.project}-${var.name_prefix}-policy")
  location                    = local.bucket_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }
}

locals {
  # A relative verify_policy_file is relative to this directory.
  verify_policy_file = startswith(var.verify_policy_file, "/") ? var.verify_policy_file : "${path.module}/${var.verify_policy_file}"
  verify_policy_ref  = "gs://${google_storage_bucket.policy.name}/${google_storage_bucket_object.verify_policy.name}"
}

# The name carries the file's MD5: a changed policy is a new object and a new VSA_POLICY, so verifyImage rolls
# to a new revision that reads it; the old object is removed only after (create_before_destroy) and stays as a
# noncurrent version.
resource "google_storage_bucket_object" "verify_policy" {
  bucket       = google_storage_bucket.policy.name
  name         = "policies/verify-${filemd5(local.verify_policy_file)}.yaml"
  source       = local.verify_policy_file
  content_type = "application/yaml"

  lifecycle {
    create_before_destroy = true
  }
}
