/**
 * Domain values shared by dispatcher and worker: work items, byte ranges, attempts and instance
 * facts.
 */
package dev.spotbatch.model;
