package dev.spotbatch.worker.notice;

/**
 * Receives each distinct notice once, on the monitor's thread; must return quickly (start the drain
 * on its own thread).
 */
@FunctionalInterface
public interface NoticeListener {
  void onNotice(Notice notice);
}
