/** Cost accounting: a price book and the cost of a job from the machine time its events report. */
package dev.spotbatch.dispatcher.cost;
