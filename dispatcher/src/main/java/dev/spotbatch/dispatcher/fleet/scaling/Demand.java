package dev.spotbatch.dispatcher.fleet.scaling;

import java.util.List;

/**
 * The throughput the jobs need, split by how firm it is.
 *
 * @param hardRate records/s that jobs with a deadline need (infinite when one has passed)
 * @param softRate records/s that undated jobs need to drain within the target
 * @param floorWorkers at least this many working workers (the minimum, a stuck queue, a queue with
 *     items no job accounts for)
 * @param itemCap no more workers than this: more workers than items left cannot help
 * @param needs each job's need, in the order deadlines are served
 * @param drivers short phrases that explain the need, for reasons
 */
record Demand(
    double hardRate,
    double softRate,
    int floorWorkers,
    long itemCap,
    List<JobNeed> needs,
    List<String> drivers) {

  /** This demand with more phrases that explain it. */
  Demand withDrivers(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> all = new java.util.ArrayList<>(drivers);
    all.addAll(more);
    return new Demand(hardRate, softRate, floorWorkers, itemCap, needs, all);
  }

  double totalRate() {
    return hardRate + softRate;
  }

  /** One job's need. */
  record JobNeed(JobDemand job, double rate) {}
}
