/** Worker events: applied idempotently to the job store by a background consumer. */
package dev.spotbatch.dispatcher.events;
