package dev.spotbatch.dispatcher.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceBookTest {
  final PriceBook defaults = PriceBook.defaults(List.of(), PriceBook.LocalPricing.DEFAULT);

  @Test
  void theDefaultBookPricesEveryGpuFamilyInEachRegionWithASource() {
    for (String type :
        List.of(
            "g4dn.xlarge",
            "g5.xlarge",
            "g6.xlarge",
            "g6e.xlarge",
            "p3.2xlarge",
            "p4d.24xlarge",
            "p5.48xlarge",
            "c6i.xlarge",
            "c7i.xlarge",
            "m6i.xlarge")) {
      for (String region : List.of("us-east-1", "us-west-2", "eu-west-1")) {
        Quote od = defaults.quote("aws", region, type, Lifecycle.ON_DEMAND);
        Quote spot = defaults.quote("aws", region, type, Lifecycle.SPOT);
        assertThat(od.known()).as(type + " " + region).isTrue();
        assertThat(spot.usdPerHour())
            .as(type + " " + region)
            .isPositive()
            .isLessThan(od.usdPerHour());
        assertThat(od.source()).isNotBlank();
        assertThat(od.pricedAs()).contains(region);
      }
    }
    for (Price p : defaults.entries()) {
      assertThat(p.asOf()).as(p.toString()).isNotNull();
      assertThat(p.source()).as(p.toString()).isNotBlank();
    }
  }

  @Test
  void theIssuesReferencePointsAreKeptAndTheNewestPriceWins() {
    // p5.48xlarge: $98.32 on demand before the 2025 cut, $19.66 average spot
    assertThat(defaults.history())
        .anySatisfy(
            p -> {
              assertThat(p.instanceType()).isEqualTo("p5.48xlarge");
              assertThat(p.lifecycle()).isEqualTo(Lifecycle.ON_DEMAND);
              assertThat(p.usdPerHour()).isEqualTo(98.32);
            })
        .anySatisfy(p -> assertThat(p.usdPerHour()).isEqualTo(32.77));
    assertThat(defaults.usdPerHour("aws", "us-east-1", "p5.48xlarge", Lifecycle.SPOT))
        .hasValue(19.66);
    assertThat(
            defaults
                .usdPerHour("aws", "us-east-1", "p5.48xlarge", Lifecycle.ON_DEMAND)
                .orElseThrow())
        .isLessThan(98.32);
    assertThat(defaults.usdPerHour("budget", "h100", Lifecycle.ON_DEMAND)).hasValue(1.49);
    assertThat(defaults.usdPerHour("budget", "h200", Lifecycle.ON_DEMAND)).hasValue(2.15);
  }

  @Test
  void aConfiguredPriceReplacesTheDefaultInEveryRegion() {
    PriceBook book =
        PriceBook.defaults(
            List.of(new Price("aws", "g5.xlarge", Lifecycle.SPOT, 0.31)),
            PriceBook.LocalPricing.DEFAULT);
    assertThat(book.usdPerHour("aws", "eu-west-1", "g5.xlarge", Lifecycle.SPOT)).hasValue(0.31);
    assertThat(book.quote("aws", "us-west-2", "g5.xlarge", Lifecycle.SPOT).basis())
        .isEqualTo(PriceBasis.CONFIGURED);
    // the on-demand default stays
    assertThat(book.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.ON_DEMAND))
        .isEqualTo(defaults.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.ON_DEMAND));
  }

  @Test
  void unknownMachinesAreFlaggedAndUnknownLifecyclesPricedOnDemand() {
    Quote q = defaults.quote("aws", "us-east-1", "x9.mega", Lifecycle.SPOT);
    assertThat(q.basis()).isEqualTo(PriceBasis.UNKNOWN);
    assertThat(q.known()).isFalse();
    assertThat(q.source()).contains("no price for").contains("x9.mega");
    assertThat(defaults.usdPerHour("aws", "g5.xlarge", Lifecycle.UNKNOWN))
        .isEqualTo(defaults.usdPerHour("aws", "g5.xlarge", Lifecycle.ON_DEMAND));
    // a region the book lacks falls back to the default region
    assertThat(defaults.usdPerHour("aws", "ap-south-1", "g5.xlarge", Lifecycle.SPOT))
        .isEqualTo(defaults.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.SPOT));
  }

  @Test
  void theLocalFleetIsPricedAsItsConfiguredTypeAndLabelledSimulated() {
    PriceBook book = PriceBook.defaults(List.of(), new PriceBook.LocalPricing("p5.48xlarge", null));
    InstanceFacts local =
        new InstanceFacts(
            "local", "i-local-1-1", "local.2xcpu", "local-1", "local-1a", Lifecycle.SPOT);
    Quote q = book.quote(local);
    assertThat(q.simulated()).isTrue();
    assertThat(q.usdPerHour()).isEqualTo(19.66);
    assertThat(q.pricedAs()).isEqualTo("aws us-east-1 p5.48xlarge SPOT");
    // a local worker that reports a known type (the autoscaler's pools) is priced as that type
    Quote g6 = book.quote("local", "local-1", "g6.xlarge", Lifecycle.ON_DEMAND);
    assertThat(g6.usdPerHour())
        .isEqualTo(
            book.usdPerHour("aws", "us-east-1", "g6.xlarge", Lifecycle.ON_DEMAND).orElseThrow());
    assertThat(g6.basis()).isEqualTo(PriceBasis.SIMULATED);
    // local workers read their facts from a metadata endpoint that answers like AWS
    InstanceFacts viaImds =
        new InstanceFacts(
            "aws", "i-local-2-1", "local.2xcpu", "local-1", "local-1a", Lifecycle.SPOT);
    assertThat(book.quote(viaImds).simulated()).isTrue();
    assertThat(book.quote(viaImds, Lifecycle.ON_DEMAND).usdPerHour())
        .isEqualTo(
            book.usdPerHour("aws", "us-east-1", "p5.48xlarge", Lifecycle.ON_DEMAND).orElseThrow());
  }

  @Test
  void aBadLineIsRejectedByNumber() {
    String csv =
        "provider,region,instance_type,lifecycle,usd_per_hour,gpus,basis,as_of,source\n"
            + "aws,us-east-1,g5.xlarge,SPOT,0.4,1,ESTIMATE,2026-12-01,\"a, b\"\n"
            + "aws,us-east-1,g5.xlarge,SPOT,cheap,1,ESTIMATE,2026-12-01,x\n";
    assertThatThrownBy(() -> PriceBookCsv.read(new StringReader(csv)))
        .hasMessageContaining("price book line 3");
  }
}
