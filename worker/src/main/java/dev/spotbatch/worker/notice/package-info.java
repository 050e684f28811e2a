/**
 * Termination notices: the {@link dev.spotbatch.worker.notice.NoticeSource} port, the monitor that
 * runs every source and reports the first notice once, and one sub-package per provider.
 */
package dev.spotbatch.worker.notice;
