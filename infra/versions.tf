# Provider requirements. The google provider >= 5.40 knows soft_delete_policy, cloudfunctions2 service_config
# fields (max_instance_request_concurrency, available_cpu, secret_volumes) and public_access_prevention.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 5.40.0, < 8.0.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.25.0, < 4.0.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0, < 3.0.0"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region
}

# The GKE cluster the functions read runs from, and where the Tekton side is installed.
data "google_container_cluster" "tekton" {
  count    = var.cluster_name == null ? 0 : 1
  name     = var.cluster_name
  location = var.cluster_location
  project  = var.project
}

data "google_client_config" "current" {}

locals {
  # GKE: the public (or DNS) endpoint and its CA; otherwise both come from variables.
  kube_endpoint = var.cluster_name == null ? var.cluster_endpoint : "https://${data.google_container_cluster.tekton[0].endpoint}"
  kube_ca_data  = var.cluster_name == null ? var.cluster_ca_certificate : data.google_container_cluster.tekton[0].master_auth[0].cluster_ca_certificate
}

# Terraform talks to the cluster as the person applying (their Google identity); without a cluster
# name it falls back to the local kubeconfig. Nothing is created when manage_kubernetes is false.
provider "kubernetes" {
  host                   = var.cluster_name == null ? null : local.kube_endpoint
  cluster_ca_certificate = var.cluster_name == null ? null : base64decode(local.kube_ca_data)
  token                  = var.cluster_name == null ? null : data.google_client_config.current.access_token
  config_path            = var.cluster_name == null ? var.kubeconfig_path : null
  config_context         = var.cluster_name == null ? var.kubeconfig_context : null
}
