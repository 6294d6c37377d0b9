terraform {
  # 1.9+ for cross-variable validation, 1.11 for `override_during` in the offline tests.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # State is local by default (terraform.tfstate in this folder, git-ignored). It holds the SCRAM
  # password and the UI token, so for anything shared, switch to S3 by uncommenting this block,
  # then `terraform init -migrate-state`. `use_lockfile` is S3-native locking (no DynamoDB table).
  #
  # backend "s3" {
  #   bucket       = "my-terraform-state-bucket"
  #   key          = "orders-dlq/dev/terraform.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      Project   = var.project
      Stage     = var.stage
      ManagedBy = "terraform"
    })
  }
}
