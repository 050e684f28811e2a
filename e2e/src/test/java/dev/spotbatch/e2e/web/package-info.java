/** The dashboard in a real browser: headless Chromium through Selenium against the dispatcher. */
package dev.spotbatch.e2e.web;
