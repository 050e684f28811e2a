/**
 * Spot prices from AWS: the EC2 {@code DescribeSpotPriceHistory} adapter of the price source port.
 */
package dev.spotbatch.dispatcher.cost.aws;
