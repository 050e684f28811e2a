# Copy and edit: every id below is a placeholder. Push the images to each region's ECR
# (or use ECR replication) so hosts pull from their own region.
name         = "spotbatch"
client_cidrs = ["10.0.0.0/8"]
# TOKEN=$(openssl rand -hex 32); printf %s "$TOKEN" | sha256sum   -> put the hash here, keep the token
api_keys = [
  { name = "ops", sha256 = "0000000000000000000000000000000000000000000000000000000000000000", roles = ["jobs", "fleet"] },
]

regions = {
  "us-east-1" = {
    vpc_id             = "vpc-0123456789abcdef0"
    private_subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"]
    dispatcher_image   = "123456789012.dkr.ecr.us-east-1.amazonaws.com/spotbatch-dispatcher:0.1.0"
    worker_image       = "123456789012.dkr.ecr.us-east-1.amazonaws.com/spotbatch-worker-gpu:0.1.0"
    bucket_name        = "example-corp-spotbatch-us-east-1"
    max_per_pool       = 10
  }
  "us-west-2" = {
    vpc_id             = "vpc-0123456789abcdef1"
    private_subnet_ids = ["subnet-0ddddddddddddddd4", "subnet-0eeeeeeeeeeeeeee5", "subnet-0fffffffffffffff6"]
    dispatcher_image   = "123456789012.dkr.ecr.us-west-2.amazonaws.com/spotbatch-dispatcher:0.1.0"
    worker_image       = "123456789012.dkr.ecr.us-west-2.amazonaws.com/spotbatch-worker-gpu:0.1.0"
    bucket_name        = "example-corp-spotbatch-us-west-2"
    max_per_pool       = 10
  }
  "eu-west-1" = {
    vpc_id             = "vpc-0123456789abcdef2"
    private_subnet_ids = ["subnet-0111111111111111a", "subnet-0222222222222222b", "subnet-0333333333333333c"]
    dispatcher_image   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spotbatch-dispatcher:0.1.0"
    worker_image       = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spotbatch-worker-gpu:0.1.0"
    bucket_name        = "example-corp-spotbatch-eu-west-1"
    max_per_pool       = 5
  }
}
