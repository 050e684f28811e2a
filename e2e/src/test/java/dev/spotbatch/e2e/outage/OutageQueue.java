package dev.spotbatch.e2e.outage;

import java.util.List;

/**
 * The queue of an outage test, as the dispatcher and the worker reach it, and the outage it can
 * suffer: {@link #takeDown()} makes it unreachable, {@link #bringBack()} ends that with every
 * message it held.
 */
interface OutageQueue extends AutoCloseable {

  /** The queue settings of both apps (type, endpoint, names). */
  List<String> clientArguments();

  /** What the outage is, for the log. */
  String outageKind();

  void takeDown() throws Exception;

  void bringBack() throws Exception;
}
