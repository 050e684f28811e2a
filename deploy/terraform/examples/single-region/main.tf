# One region, GPU workers on spot (no on-demand base), API on an internal load balancer.

module "spotbatch" {
  source = "../../modules/spotbatch"

  name               = var.name
  vpc_id             = var.vpc_id
  private_subnet_ids = var.private_subnet_ids
  dispatcher_image   = var.dispatcher_image
  worker_image       = var.worker_image
  device             = "gpu"
  bucket_name        = var.bucket_name
  client_cidrs       = var.client_cidrs
  min_workers        = 0
  max_workers        = var.max_workers
}
