/** The outage test: the store, the queue and the database go away mid-job and come back. */
package dev.spotbatch.e2e.outage;
