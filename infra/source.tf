# Function source and the configuration (CONTRACT §6) shared by the three functions.
#
# `npm run build:deploy` writes ../build/deploy: index.js (functions/ and shared/ bundled with their client
# libraries, minified), a package.json whose dependencies are only the packages left out of the bundle
# (functions-framework, @google-cloud/kms, google-gax) and no scripts, and a matching package-lock.json.
# Cloud Build (Google's Node.js buildpack) runs `npm ci` on it; nothing is compiled in the cloud. The archive
# name carries its MD5, so a changed source redeploys the functions and an unchanged one does not.

locals {
  source_dir = coalesce(var.source_dir, "${path.module}/../build/deploy")

  # Read by every function (shared/config.ts).
  common_env = {
    STORE      = local.store_ref
    SIGNER     = local.signer_ref
    FORMATS    = join(",", var.formats)
    BUILDER_ID = var.builder_id
    BUILD_TYPE = var.build_type
    NODE_ENV   = "production"
  }

  # attestRun and reconcile read runs from the API server with their Google identity (application-default
  # credentials; GKE maps the service account email to the RBAC user in kubernetes.tf).
  kube_env = {
    RUN_SOURCE   = "kubernetes"
    KUBE_SERVER  = local.kube_endpoint
    KUBE_CA_DATA = local.kube_ca_data
  }

  # Where the webhook secret is mounted in signEvent (a Secret Manager volume, re-read on change).
  webhook_secret_dir  = "/etc/secrets/webhook"
  webhook_secret_file = "${local.webhook_secret_dir}/secret"
}

data "archive_file" "source" {
  type        = "zip"
  source_dir  = local.source_dir
  output_path = "${path.module}/.terraform/tekton-provenance-source.zip"
  excludes    = ["node_modules", "node_modules/**"]
}

resource "google_storage_bucket_object" "source" {
  bucket       = google_storage_bucket.source.name
  name         = "${var.name_prefix}-${data.archive_file.source.output_md5}.zip"
  source       = data.archive_file.source.output_path
  content_type = "application/zip"
}
