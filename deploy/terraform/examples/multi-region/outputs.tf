output "api_urls" {
  description = "The REST API of each region."
  value = {
    "us-east-1" = module.us_east_1.api_url
    "us-west-2" = module.us_west_2.api_url
    "eu-west-1" = module.eu_west_1.api_url
  }
}

output "input_roots" {
  description = "Where to upload inputs, per region."
  value = {
    "us-east-1" = module.us_east_1.input_root
    "us-west-2" = module.us_west_2.input_root
    "eu-west-1" = module.eu_west_1.input_root
  }
}

output "alarm_topics" {
  description = "Alarm topics per region."
  value = {
    "us-east-1" = module.us_east_1.alarm_topic_arn
    "us-west-2" = module.us_west_2.alarm_topic_arn
    "eu-west-1" = module.eu_west_1.alarm_topic_arn
  }
}
