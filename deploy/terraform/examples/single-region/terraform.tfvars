# Copy and edit: every id below is a placeholder.
region             = "us-east-1"
name               = "spotbatch"
vpc_id             = "vpc-0123456789abcdef0"
private_subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"]
dispatcher_image   = "123456789012.dkr.ecr.us-east-1.amazonaws.com/spotbatch-dispatcher:0.1.0"
worker_image       = "123456789012.dkr.ecr.us-east-1.amazonaws.com/spotbatch-worker-gpu:0.1.0"
bucket_name        = "example-corp-spotbatch-us-east-1"
client_cidrs       = ["10.0.0.0/16"]
# TOKEN=$(openssl rand -hex 32); printf %s "$TOKEN" | sha256sum   -> put the hash here, keep the token
api_keys = [
  { name = "ops", sha256 = "0000000000000000000000000000000000000000000000000000000000000000", roles = ["jobs", "fleet"] },
]
max_per_pool       = 10
