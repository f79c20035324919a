# Pub/Sub wiring of verifyImage. Two inputs, both pushed to it with an OIDC token for verifyPush:
#   - Artifact Registry notifications (registry_topic, the project's `gcr` topic): an image was pushed, verify it;
#   - attested (this module's topic): attestRun or reconcile stored an attestation, so an image pushed before its
#     provenance existed is verified again once it does.
# Delivery is at least once and verifyImage's writes are create-only, so a redelivery changes nothing.
#
# IAM: attestRun and reconcile hold roles/pubsub.publisher on the attested topic only; verifyPush holds only
# run.invoker on verifyImage (functions.tf); the Pub/Sub service agent may mint tokens for verifyPush only
# (older projects need it) and, with verify_dead_letter, publish to the dead-letter topic and ack on the two
# subscriptions. No project-level Pub/Sub role is granted.

data "google_project" "current" {
  project_id = var.project
}

locals {
  pubsub_agent     = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  default_registry = "projects/${var.project}/topics/gcr"
  registry_topic   = var.create_registry_topic ? google_pubsub_topic.registry[0].id : coalesce(var.registry_topic, local.default_registry)

  # verifyImage's inputs: subscription name suffix => topic id.
  verify_inputs = {
    registry = local.registry_topic
    attested = google_pubsub_topic.attested.id
  }

  # Push requests time out at the ack deadline: above verifyImage's 60 s timeout, so a message is not
  # redelivered while its first delivery is still being verified.
  verify_ack_deadline_seconds = 90
}

resource "google_pubsub_topic" "attested" {
  project = var.project
  name    = "${var.name_prefix}-attested"
}

# Artifact Registry publishes Docker repository changes to the topic named `gcr` of the repository's project,
# once that topic exists (it is not created for you).
resource "google_pubsub_topic" "registry" {
  count   = var.create_registry_topic ? 1 : 0
  project = var.project
  name    = "gcr"

  lifecycle {
    precondition {
      condition     = var.registry_topic == null || var.registry_topic == local.default_registry
      error_message = "create_registry_topic creates projects/<project>/topics/gcr; set create_registry_topic = false to use another registry_topic."
    }
  }
}

resource "google_pubsub_topic_iam_member" "attested_publisher" {
  for_each = local.provenance_signers
  project  = var.project
  topic    = google_pubsub_topic.attested.name
  role     = "roles/pubsub.publisher"
  member   = each.value
}

resource "google_pubsub_subscription" "verify_image" {
  for_each = local.verify_inputs
  project  = var.project
  name     = "${var.name_prefix}-verify-${each.key}"
  topic    = each.value

  ack_deadline_seconds = local.verify_ack_deadline_seconds
  # Keep undelivered messages the longest Pub/Sub allows (7 days), so an outage of verifyImage loses nothing.
  message_retention_duration = "604800s"

  # Never expire: by default a subscription without successful deliveries for 31 days is deleted, which
  # would silently stop the gate in a project that pushes images rarely.
  expiration_policy {
    ttl = ""
  }

  # Exponential backoff between redeliveries of a message verifyImage refused (503) or did not answer.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dynamic "dead_letter_policy" {
    for_each = var.verify_dead_letter ? [var.verify_max_delivery_attempts] : []
    content {
      dead_letter_topic     = google_pubsub_topic.verify_dead_letter[0].id
      max_delivery_attempts = dead_letter_policy.value
    }
  }

  push_config {
    push_endpoint = local.verify_image_url
    oidc_token {
      service_account_email = google_service_account.verify_push.email
      audience              = local.verify_image_url
    }
  }

  depends_on = [
    google_cloud_run_service_iam_member.verify_image_invoker,
    google_service_account_iam_member.pubsub_token_creator,
  ]
}

# The Pub/Sub service agent signs the push OIDC tokens as verifyPush. Projects whose agent was created before
# 2021-04-08 need this grant; it is scoped to the one service account that can only call verifyImage.
resource "google_service_account_iam_member" "pubsub_token_creator" {
  count              = var.grant_pubsub_token_creator ? 1 : 0
  service_account_id = google_service_account.verify_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

# ---- optional dead letter: messages verifyImage kept failing on, kept 7 days for inspection ---------------------

resource "google_pubsub_topic" "verify_dead_letter" {
  count   = var.verify_dead_letter ? 1 : 0
  project = var.project
  name    = "${var.name_prefix}-verify-dead-letter"
}

# A topic without a subscription drops what it receives.
resource "google_pubsub_subscription" "verify_dead_letter" {
  count                      = var.verify_dead_letter ? 1 : 0
  project                    = var.project
  name                       = "${var.name_prefix}-verify-dead-letter"
  topic                      = google_pubsub_topic.verify_dead_letter[0].id
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  count   = var.verify_dead_letter ? 1 : 0
  project = var.project
  topic   = google_pubsub_topic.verify_dead_letter[0].name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = { for k, v in local.verify_inputs : k => v if var.verify_dead_letter }
  project      = var.project
  subscription = google_pubsub_subscription.verify_image[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
