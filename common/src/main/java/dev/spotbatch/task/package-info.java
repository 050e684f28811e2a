/**
 * What a job asks of each record: the task chain, the model it names (built in or brought by URI,
 * with its descriptor) and each task's validated options; shared by dispatcher and worker.
 */
package dev.spotbatch.task;
