/**
 * The embedded default's Spring Boot wiring: its in-process queue servers, the local fleet and its
 * interrupt endpoint, and their settings, plugged into the dispatcher by auto-configuration.
 */
package dev.spotbatch.local;
