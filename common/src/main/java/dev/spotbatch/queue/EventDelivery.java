package dev.spotbatch.queue;

import dev.spotbatch.event.WorkerEvent;

/** An event received from the event queue, to be acknowledged once applied. */
public record EventDelivery(WorkerEvent event, String handle) {}
