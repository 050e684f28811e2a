/** Checks of the dashboard's static files (the browser tests are in e2e). */
package dev.spotbatch.dispatcher.web;
