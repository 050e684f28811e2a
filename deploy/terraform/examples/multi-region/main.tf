# Three independent cells, one per region: each has its own queues, bucket, database, dispatcher
# and spot fleet, and jobs go to the region that holds their data (no cross-region data transfer,
# and a regional outage or spot shortage stays in its region). Three regions also mean three sets
# of spot pools: submit to whichever region has capacity (GET /api/v1/fleet).
# Terraform cannot loop over providers, hence one block per region.

module "us_east_1" {
  source    = "../../modules/spotbatch"
  providers = { aws = aws.us_east_1 }

  name               = "${var.name}-use1"
  vpc_id             = var.regions["us-east-1"].vpc_id
  private_subnet_ids = var.regions["us-east-1"].private_subnet_ids
  dispatcher_image   = var.regions["us-east-1"].dispatcher_image
  worker_image       = var.regions["us-east-1"].worker_image
  bucket_name        = var.regions["us-east-1"].bucket_name
  max_per_pool       = var.regions["us-east-1"].max_per_pool
  client_cidrs       = var.client_cidrs
  api_keys           = var.api_keys
}

module "us_west_2" {
  source    = "../../modules/spotbatch"
  providers = { aws = aws.us_west_2 }

  name               = "${var.name}-usw2"
  vpc_id             = var.regions["us-west-2"].vpc_id
  private_subnet_ids = var.regions["us-west-2"].private_subnet_ids
  dispatcher_image   = var.regions["us-west-2"].dispatcher_image
  worker_image       = var.regions["us-west-2"].worker_image
  bucket_name        = var.regions["us-west-2"].bucket_name
  max_per_pool       = var.regions["us-west-2"].max_per_pool
  client_cidrs       = var.client_cidrs
  api_keys           = var.api_keys
}

module "eu_west_1" {
  source    = "../../modules/spotbatch"
  providers = { aws = aws.eu_west_1 }

  name               = "${var.name}-euw1"
  vpc_id             = var.regions["eu-west-1"].vpc_id
  private_subnet_ids = var.regions["eu-west-1"].private_subnet_ids
  dispatcher_image   = var.regions["eu-west-1"].dispatcher_image
  worker_image       = var.regions["eu-west-1"].worker_image
  bucket_name        = var.regions["eu-west-1"].bucket_name
  max_per_pool       = var.regions["eu-west-1"].max_per_pool
  client_cidrs       = var.client_cidrs
  api_keys           = var.api_keys
}
