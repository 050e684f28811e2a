package dev.spotbatch.worker.item;

import dev.spotbatch.worker.inference.Cancellation;
import dev.spotbatch.worker.task.TaskPlan;
import dev.spotbatch.worker.task.Unit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the units a model fails on when it failed on a whole chunk of them: bisects the chunk
 * through the plan's model until every unit has its vector or failed alone. A unit that fails alone
 * while others of its chunk succeed is a record error (its slot in the result is null and its
 * reason is in {@code rejected}, by unit index); if every unit fails alone, the model is at fault,
 * not the records, and the original failure stands (the item is retried). Each failing part costs
 * two calls on its halves, so a chunk of n units with k bad ones costs at most about 2·log2(n)·k
 * calls more.
 *
 * <p>Only a failure of the model itself is bisected: not a dropped chunk (the item was stopped or
 * cancelled), not a closing batcher, not an outage of the store or queue ({@link Outages}), not an
 * {@link Error}. The bisection runs on its own daemon threads: the model's failure is reported on
 * an inference thread, which must not wait for the batcher.
 */
final class RecordIsolation {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService EXECUTOR =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "record-isolation-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private RecordIsolation() {}

  /**
   * The chunk's vectors: those of {@code submitted} when it succeeds, else the bisected ones (null
   * for each rejected unit, whose reason goes into {@code rejected}). A failure that is not
   * bisected is passed on as it is (a {@link CancellationException} stays one).
   */
  static CompletableFuture<float[][]> isolating(
      CompletableFuture<float[][]> submitted,
      TaskPlan plan,
      List<Unit> units,
      Cancellation cancellation,
      Map<Integer, String> rejected) {
    CompletableFuture<float[][]> result = new CompletableFuture<>();
    submitted.whenComplete(
        (vectors, e) -> {
          if (e == null) {
            result.complete(vectors);
            return;
          }
          Throwable failure = unwrap(e);
          if (units.size() < 2 || !modelFault(failure, plan, cancellation)) {
            result.completeExceptionally(failure);
            return;
          }
          EXECUTOR.execute(() -> bisect(plan, units, cancellation, rejected, failure, result));
        });
    return result;
  }

  /** True for a failure the records may have caused: the model threw, nothing else went wrong. */
  private static boolean modelFault(Throwable failure, TaskPlan plan, Cancellation cancellation) {
    return failure instanceof RuntimeException
        && !(failure instanceof CancellationException)
        && !Outages.isOutage(failure)
        && !cancellation.isCancelled()
        && plan.modelOpen();
  }

  private static void bisect(
      TaskPlan plan,
      List<Unit> units,
      Cancellation cancellation,
      Map<Integer, String> rejected,
      Throwable failure,
      CompletableFuture<float[][]> result) {
    float[][] out = new float[units.size()][];
    try {
      int mid = units.size() / 2;
      run(plan, units, 0, mid, out, cancellation, rejected);
      run(plan, units, mid, units.size(), out, cancellation, rejected);
    } catch (Aborted a) {
      rejected.clear();
      result.completeExceptionally(a.getCause());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rejected.clear();
      result.completeExceptionally(failure);
      return;
    } catch (RuntimeException e) {
      rejected.clear();
      result.completeExceptionally(e);
      return;
    }
    if (rejected.size() == units.size()) { // nothing works: the model, not the records
      rejected.clear();
      result.completeExceptionally(failure);
      return;
    }
    result.complete(out);
  }

  /** Runs {@code [from, to)} into {@code out}, halving on a model failure down to single units. */
  private static void run(
      TaskPlan plan,
      List<Unit> units,
      int from,
      int to,
      float[][] out,
      Cancellation cancellation,
      Map<Integer, String> rejected)
      throws InterruptedException, Aborted {
    try {
      float[][] got = plan.submit(units.subList(from, to), cancellation).get();
      System.arraycopy(got, 0, out, from, got.length);
      return;
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (!modelFault(cause, plan, cancellation)) {
        throw new Aborted(cause);
      }
      if (to - from == 1) {
        rejected.put(from, reason(units.get(from), cause));
        return;
      }
    } catch (CancellationException e) {
      throw new Aborted(e);
    }
    int mid = from + (to - from) / 2;
    run(plan, units, from, mid, out, cancellation, rejected);
    run(plan, units, mid, to, out, cancellation, rejected);
  }

  private static String reason(Unit unit, Throwable cause) {
    String what = unit.chunk() < 0 ? "this record" : "chunk " + unit.chunk() + " of this record";
    return "the model failed on " + what + ": " + ItemProcessor.describe(cause);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The bisection cannot go on (the item was stopped or cancelled, or the batcher closed). */
  private static final class Aborted extends Exception {
    Aborted(Throwable cause) {
      super(cause);
    }
  }
}
