package dev.spotbatch.dispatcher.fleet.scaling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last N decisions, newest first. Thread-safe: the API reads while the scaler ticks. */
final class DecisionLog {
  private final int capacity;
  private final Deque<Decision> decisions = new ArrayDeque<>();

  DecisionLog(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(Decision d) {
    decisions.addFirst(d);
    while (decisions.size() > capacity) {
      decisions.removeLast();
    }
  }

  synchronized List<Decision> latest(int limit) {
    List<Decision> out = new ArrayList<>(Math.min(Math.max(0, limit), decisions.size()));
    for (Decision d : decisions) {
      if (out.size() >= limit) {
        break;
      }
      out.add(d);
    }
    return out;
  }
}
