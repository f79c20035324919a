# The cluster side. The functions' Google identities get read-only RBAC on runs; Tekton's config-events sink
# points at attestRun; the Triggers ClusterInterceptor points at signEvent.
#
# manage_kubernetes = true: Terraform applies these (kubernetes_manifest needs the Tekton Triggers CRDs
# installed and the cluster reachable at plan time). false: `terraform output -raw kubernetes_manifests |
# kubectl apply -f -` plus the `sink_patch_command` output do the same.

locals {
  sink_url        = var.sink_access == "public" ? google_cloudfunctions2_function.attest_run.service_config[0].uri : var.proxy_sink_url
  interceptor_url = google_cloudfunctions2_function.sign_event.service_config[0].uri

  # TLS trap: the EventListener trusts only the caBundles of interceptors labelled server/type: https (never
  # the system roots), and an https interceptor with an empty caBundle blocks its start-up. run.app and
  # cloudfunctions.net certificates chain to Google Trust Services roots: gts-roots.pem holds GTS Root R1-R4
  # (copied from Debian ca-certificates, valid until 2036-06-22; compare with https://pki.goog/repository/).
  interceptor_ca_bundle = coalesce(var.interceptor_ca_bundle_pem, file("${path.module}/gts-roots.pem"))

  # GKE authenticates a Google service account as the Kubernetes user named by its email.
  rbac_subjects = [
    for email in [google_service_account.attest_run.email, google_service_account.reconcile.email] : {
      kind     = "User"
      apiGroup = "rbac.authorization.k8s.io"
      name     = email
    }
  ]

  run_reader_role = "${var.name_prefix}-run-reader"

  k8s_cluster_role = {
    apiVersion = "rbac.authorization.k8s.io/v1"
    kind       = "ClusterRole"
    metadata   = { name = local.run_reader_role }
    # Read-only, runs only: no secrets, no pods, no writes (nothing like Chains' finalizers or patches).
    rules = [{
      apiGroups = ["tekton.dev"]
      resources = ["taskruns", "pipelineruns"]
      verbs     = ["get", "list", "watch"]
    }]
  }

  # All namespaces: one ClusterRoleBinding. Listed namespaces: one RoleBinding each.
  k8s_bindings = merge(
    { for all in(length(var.namespaces) == 0 ? ["all"] : []) : "binding-${all}" => {
      apiVersion = "rbac.authorization.k8s.io/v1"
      kind       = "ClusterRoleBinding"
      metadata   = { name = local.run_reader_role }
      roleRef    = { apiGroup = "rbac.authorization.k8s.io", kind = "ClusterRole", name = local.run_reader_role }
      subjects   = local.rbac_subjects
    } },
    { for ns in var.namespaces : "binding-${ns}" => {
      apiVersion = "rbac.authorization.k8s.io/v1"
      kind       = "RoleBinding"
      metadata   = { name = local.run_reader_role, namespace = ns }
      roleRef    = { apiGroup = "rbac.authorization.k8s.io", kind = "ClusterRole", name = local.run_reader_role }
      subjects   = local.rbac_subjects
    } },
  )

  k8s_interceptor = {
    apiVersion = "triggers.tekton.dev/v1alpha1"
    kind       = "ClusterInterceptor"
    metadata = {
      name   = "${var.name_prefix}-sign-event"
      labels = { "server/type" = "https" }
    }
    spec = {
      clientConfig = {
        url      = local.interceptor_url
        caBundle = base64encode(local.interceptor_ca_bundle)
      }
    }
  }

  k8s_manifests = merge(
    { "cluster-role" = local.k8s_cluster_role, interceptor = local.k8s_interceptor },
    local.k8s_bindings,
  )
}

resource "kubernetes_manifest" "provenance" {
  # A keyed for expression yields an object, so manifests of different shapes can share one for_each.
  for_each = { for key, manifest in local.k8s_manifests : key => manifest if var.manage_kubernetes }
  manifest = each.value
}

# Only the `sink` key of Tekton's own ConfigMap; force takes that one field over from Tekton's installer.
resource "kubernetes_config_map_v1_data" "config_events_sink" {
  count = var.manage_kubernetes ? 1 : 0
  metadata {
    name      = "config-events"
    namespace = var.tekton_pipelines_namespace
  }
  data = {
    sink = local.sink_url
  }
  force = true
}
