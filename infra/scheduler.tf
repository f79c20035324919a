# Cloud Scheduler calls reconcile with a Google-signed OIDC token for its own identity; that identity is the
# only invoker of reconcile. The sweep attests every completed run of the window that has no runs/… object
# yet, so events Tekton lost (it retries for ~20 s only) are attested within one schedule period.

resource "google_cloud_scheduler_job" "reconcile" {
  project   = var.project
  region    = var.region
  name      = "${var.name_prefix}-reconcile"
  schedule  = var.reconcile_schedule
  time_zone = "Etc/UTC"
  # Longer than reconcile's 300 s timeout, so Scheduler does not give up on a sweep that is still running.
  attempt_deadline = "320s"

  retry_config {
    # The next scheduled sweep covers the same window; one quick retry is enough.
    retry_count          = 1
    min_backoff_duration = "30s"
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.reconcile.service_config[0].uri
    # An empty JSON body: reconcile uses its configured window.
    body    = base64encode("{}")
    headers = { "Content-Type" = "application/json" }

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.reconcile.service_config[0].uri
    }
  }

  depends_on = [google_cloud_run_service_iam_member.reconcile_invoker]
}

# The scheduler identity may invoke reconcile, and nothing else.
resource "google_cloud_run_service_iam_member" "reconcile_invoker" {
  project  = var.project
  location = var.region
  service  = google_cloudfunctions2_function.reconcile.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}
