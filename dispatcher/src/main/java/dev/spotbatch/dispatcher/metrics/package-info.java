/**
 * Meters the dashboard and alert rules in {@code deploy/monitoring/} read that no single component
 * owns: the backlog (queue depth, the oldest unfinished item's age) and the fleet's interruptions
 * and drains, counted from the workers' events so they outlive the spot machines that reported
 * them.
 */
package dev.spotbatch.dispatcher.metrics;
