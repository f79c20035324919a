# The GitHub webhook secret signEvent checks X-Hub-Signature-256 with. Terraform creates the secret *empty*
# and never sees its value (so it is not in the state): add a version out of band before the first full apply:
#
#   terraform apply -target=google_secret_manager_secret.webhook
#   printf %s "$WEBHOOK_SECRET" | gcloud secrets versions add tekton-provenance-webhook --data-file=-
#
# signEvent mounts version "latest" as a file and re-reads it every 30 s (WEBHOOK_SECRET_REFRESH_SECONDS), also
# on warm instances. The file may hold two lines, the new secret and the old one, both accepted. To rotate
# without dropping a delivery:
#
#   printf '%s\n%s\n' "$NEW" "$OLD" | gcloud secrets versions add tekton-provenance-webhook --data-file=-
#   # wait 60 s (every instance now accepts both), then set $NEW as the webhook secret in GitHub
#   printf %s "$NEW" | gcloud secrets versions add tekton-provenance-webhook --data-file=-
#   # after 60 s the old secret is refused everywhere; disable the older versions
#
# A blank file (or a blank line) is refused: every delivery then fails closed, it never means "no secret".

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
