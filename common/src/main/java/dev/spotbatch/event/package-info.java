/** Events a worker sends to the dispatcher; the dispatcher applies them idempotently by item id. */
package dev.spotbatch.event;
