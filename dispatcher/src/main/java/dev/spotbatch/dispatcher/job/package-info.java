/**
 * Jobs: validation, the planner that cuts input into work items, the JDBC job store and manifests.
 */
package dev.spotbatch.dispatcher.job;
