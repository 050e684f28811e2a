package dev.spotbatch.dispatcher.sim;

import java.util.List;

/**
 * The answer to an estimate: each strategy's figures over several seeds, which one to choose and
 * why, and what was assumed.
 *
 * @param options on-demand first, then spot, mixed and (when priced) a budget provider
 * @param recommended the strategy to choose
 * @param reason why, in a sentence (it says when on-demand is the better choice)
 * @param scenario the scenario the estimate was built on, with the prices used
 * @param template the built-in scenario whose market it was built from
 * @param priceSource where the prices came from ({@code price book} or the scenario's name)
 * @param notes further assumptions, for people
 */
public record Estimate(
    List<Summary> options,
    Strategy recommended,
    String reason,
    Scenario scenario,
    String template,
    String priceSource,
    List<String> notes) {
  public Estimate {
    options = List.copyOf(options);
    notes = List.copyOf(notes);
  }
}
