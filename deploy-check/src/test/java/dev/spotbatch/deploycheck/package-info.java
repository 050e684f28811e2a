/**
 * Build-time checks of the deployment files (deploy/terraform, docker/, deploy/monitoring) on
 * machines with neither Terraform nor a Docker engine: the files are parsed and their structure
 * asserted, and the scripts the images run are run here.
 */
package dev.spotbatch.deploycheck;
