# The GitHub webhook secret signEvent checks X-Hub-Signature-256 with. Terraform creates the secret *empty*
# and never sees its value (so it is not in the state): add a version out of band before the first full apply:
#
#   terraform apply -target=google_secret_manager_secret.webhook
#   printf %s "$WEBHOOK_SECRET" | gcloud secrets versions add tekton-provenance-webhook --data-file=-
#
# signEvent mounts version "latest" as a file and reads it when an instance starts: to rotate, add a version,
# roll the instances (`gcloud run services update tekton-provenance-sign-event --region R
# --update-labels rotated=$(date +%s)`), change the secret in GitHub, then disable the old version.

resource "google_secret_manager_secret" "webhook" {
  count     = var.create_webhook_secret ? 1 : 0
  project   = var.project
  secret_id = var.webhook_secret_id

  replication {
    auto {}
  }
}

locals {
  # The secret's id, whether this module created it or it already existed.
  webhook_secret_id = var.create_webhook_secret ? google_secret_manager_secret.webhook[0].secret_id : var.webhook_secret_id
}
