/** The translator SPI: Java plugins that run as a job's task on the workers. */
package dev.spotbatch.spi;
