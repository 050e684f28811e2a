package dev.spotbatch.model;

/** What told a worker that its machine is going away (or may soon). */
public enum NoticeKind {
  /** AWS spot {@code instance-action} (2 minutes' notice). */
  AWS_SPOT_INTERRUPTION,
  /** AWS rebalance recommendation: elevated risk, no deadline. */
  AWS_REBALANCE_RECOMMENDATION,
  /** AWS Auto Scaling {@code target-lifecycle-state} became {@code Terminated}. */
  AWS_LIFECYCLE_TERMINATION,
  /** GCP {@code instance/preempted} became TRUE (30 seconds' notice). */
  GCP_PREEMPTION,
  /** Azure Scheduled Events {@code Preempt} (30 seconds' notice). */
  AZURE_PREEMPT,
  /** Azure Scheduled Events {@code Terminate}. */
  AZURE_TERMINATE,
  /** SIGTERM (docker stop, Kubernetes, an ASG without a lifecycle hook): the configured grace. */
  SIGTERM;

  /** True for a recommendation that does not announce a termination. */
  public boolean isAdvisory() {
    return this == AWS_REBALANCE_RECOMMENDATION;
  }
}
