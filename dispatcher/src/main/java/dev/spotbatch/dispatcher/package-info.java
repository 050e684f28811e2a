/** The dispatcher application's entry point. */
package dev.spotbatch.dispatcher;
