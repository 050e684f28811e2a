/** The REST API (v1): controllers, request/response records and the problem-details handler. */
package dev.spotbatch.dispatcher.api;
