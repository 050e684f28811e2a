# One region: GPU workers in one group per pool (13 spot types + 3 on-demand types, x 3 zones), the
# dispatcher's autoscaler sizing each pool, and the API on an internal load balancer.

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
  api_keys           = var.api_keys
  max_per_pool       = var.max_per_pool
}
