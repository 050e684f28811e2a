package dev.spotbatch.dispatcher.cost.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.dispatcher.cost.HistoryBasis;
import dev.spotbatch.dispatcher.cost.Price;
import dev.spotbatch.dispatcher.cost.PriceBasis;
import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.cost.SpotPriceHistory;
import dev.spotbatch.dispatcher.cost.SpotPriceRefresher;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.testing.AwsQueryServer;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The EC2 spot price adapter against an in-process server speaking the EC2 Query protocol as the
 * EC2 API reference shows {@code DescribeSpotPriceHistory}: {@code spotPriceHistorySet} items, a
 * {@code nextToken} for the next page, and the EC2 error document.
 */
class Ec2SpotPriceSourceTest {
  static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
  static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

  AwsQueryServer ec2;
  Ec2SpotPriceSource source;

  @BeforeEach
  void start() throws Exception {
    ec2 = AwsQueryServer.start(NS, "2016-11-15");
    source =
        new Ec2SpotPriceSource(
            region ->
                Ec2Clients.create(
                    region,
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDTEST", "secret")),
                    ec2.endpoint()));
  }

  @AfterEach
  void stop() {
    source.close();
    ec2.close();
  }

  static String item(String type, String zone, String price, String at) {
    return "    <item>\n"
        + "      <instanceType>"
        + type
        + "</instanceType>\n"
        + "      <productDescription>Linux/UNIX</productDescription>\n"
        + "      <spotPrice>"
        + price
        + "</spotPrice>\n"
        + "      <timestamp>"
        + at
        + "</timestamp>\n"
        + "      <availabilityZone>"
        + zone
        + "</availabilityZone>\n"
        + "    </item>\n";
  }

  static AwsQueryServer.Answer page(String items, String nextToken) {
    return AwsQueryServer.raw(
        200,
        "<DescribeSpotPriceHistoryResponse xmlns=\""
            + NS
            + "\">\n"
            + "  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>\n"
            + "  <spotPriceHistorySet>\n"
            + items
            + "  </spotPriceHistorySet>\n"
            + (nextToken == null
                ? "  <nextToken/>\n"
                : "  <nextToken>" + nextToken + "</nextToken>\n")
            + "</DescribeSpotPriceHistoryResponse>\n");
  }

  @Test
  void readsEveryPageAndAveragesTheNewestPriceOfEachZone() {
    ec2.once(
        "DescribeSpotPriceHistory",
        page(
            item("g5.xlarge", "us-east-1a", "0.402000", "2026-12-02T07:50:00.000Z")
                + item("g5.xlarge", "us-east-1a", "0.500000", "2026-12-02T05:00:00.000Z")
                + item("g5.xlarge", "us-east-1b", "0.440000", "2026-12-02T07:00:00.000Z"),
            "page-2-token"));
    ec2.once(
        "DescribeSpotPriceHistory",
        page(item("p5.48xlarge", "us-east-1a", "19.660000", "2026-12-02T06:00:00.000Z"), null));

    List<Price> prices =
        source.spotPrices(
            "us-east-1", List.of("g5.xlarge", "p5.48xlarge"), NOW.minus(Duration.ofHours(6)));

    assertThat(prices).hasSize(2);
    Price g5 =
        prices.stream().filter(p -> p.instanceType().equals("g5.xlarge")).findFirst().orElseThrow();
    assertThat(g5.usdPerHour()).isCloseTo((0.402 + 0.44) / 2, within(1e-9));
    assertThat(g5.lifecycle()).isEqualTo(Lifecycle.SPOT);
    assertThat(g5.region()).isEqualTo("us-east-1");
    assertThat(g5.basis()).isEqualTo(PriceBasis.REFRESHED);
    assertThat(g5.asOf()).isEqualTo(LocalDate.parse("2026-12-02"));
    assertThat(g5.source()).contains("DescribeSpotPriceHistory").contains("2 zone");

    List<AwsQueryServer.Request> requests = ec2.requests("DescribeSpotPriceHistory");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).params())
        .containsEntry("ProductDescription.1", "Linux/UNIX")
        .containsEntry("InstanceType.1", "g5.xlarge")
        .containsEntry("InstanceType.2", "p5.48xlarge")
        .containsEntry("StartTime", "2026-12-02T02:00:00Z")
        .doesNotContainKey("NextToken");
    assertThat(requests.get(1).param("NextToken")).isEqualTo("page-2-token");
  }

  @Test
  void theRefresherUpdatesTheBookAndKeepsItsPricesWhenEc2Refuses() {
    PriceBook book = PriceBook.defaults(List.of(), PriceBook.LocalPricing.DEFAULT);
    double before = book.usdPerHour("aws", "eu-west-1", "g5.xlarge", Lifecycle.SPOT).orElseThrow();
    ec2.always(
        "DescribeSpotPriceHistory",
        page(item("g5.xlarge", "us-east-1c", "0.3333", "2026-12-02T07:00:00.000Z"), null));
    ec2.once(
        "DescribeSpotPriceHistory",
        AwsQueryServer.raw(
            403,
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not"
                + " authorized to perform this operation.</Message></Error></Errors>"
                + "<RequestID>b1f2c3d4-EXAMPLE</RequestID></Response>"));
    SpotPriceRefresher refresher =
        new SpotPriceRefresher(
            book,
            new SpotPriceHistory(),
            source,
            List.of("eu-west-1", "us-east-1"),
            Duration.ofHours(6),
            new MutableClock(NOW));

    SpotPriceRefresher.Outcome o = refresher.refresh();

    assertThat(o.failedRegions()).containsExactly("eu-west-1");
    assertThat(o.updated()).isEqualTo(1);
    assertThat(book.usdPerHour("aws", "eu-west-1", "g5.xlarge", Lifecycle.SPOT)).hasValue(before);
    assertThat(book.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.SPOT)).hasValue(0.3333);
    assertThat(book.quote("aws", "us-east-1", "g5.xlarge", Lifecycle.SPOT).basis())
        .isEqualTo(PriceBasis.REFRESHED);
    // an error is not retried forever: the SDK's retry strategy gives up on a 403 at once
    assertThat(ec2.requests("DescribeSpotPriceHistory")).hasSize(2);
  }

  @Test
  void theRefresherKeepsAWeekOfHourlyHistoryFromEveryPage() {
    // a change log as EC2 keeps it: each zone's price from the time it changed; the first price
    // of zone a took effect before the window and is still in force at its start
    ec2.once(
        "DescribeSpotPriceHistory",
        page(
            item("g5.xlarge", "us-east-1a", "0.400000", "2026-11-25T06:00:00.000Z")
                + item("g5.xlarge", "us-east-1b", "0.500000", "2026-11-25T08:00:00.000Z"),
            "token-2"));
    ec2.once(
        "DescribeSpotPriceHistory",
        page(item("g5.xlarge", "us-east-1a", "0.200000", "2026-12-01T22:00:00.000Z"), "token-3"));
    ec2.once(
        "DescribeSpotPriceHistory",
        page(item("g5.xlarge", "us-east-1a", "0.400000", "2026-12-02T06:00:00.000Z"), null));
    PriceBook book = PriceBook.defaults(List.of(), PriceBook.LocalPricing.DEFAULT);
    SpotPriceHistory history = new SpotPriceHistory();
    SpotPriceRefresher refresher =
        new SpotPriceRefresher(
            book, history, source, List.of("us-east-1"), Duration.ofDays(7), new MutableClock(NOW));

    SpotPriceRefresher.Outcome o = refresher.refresh();

    assertThat(o.failedRegions()).isEmpty();
    assertThat(o.histories()).isEqualTo(1);
    List<AwsQueryServer.Request> requests = ec2.requests("DescribeSpotPriceHistory");
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0).param("StartTime")).isEqualTo("2026-11-25T08:00:00Z");
    assertThat(requests.get(1).param("NextToken")).isEqualTo("token-2");
    assertThat(requests.get(2).param("NextToken")).isEqualTo("token-3");
    // the current price: the newest of each zone, averaged
    assertThat(book.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.SPOT))
        .hasValue((0.40 + 0.50) / 2);
    SpotPriceHistory.Series series = history.series().get(0);
    assertThat(series.basis()).isEqualTo(HistoryBasis.REFRESHED);
    assertThat(series.region()).isEqualTo("us-east-1");
    assertThat(series.hourly()).as("one point per hour of the week").hasSize(168);
    // the forecast by hour of week: Tuesday 22:00-05:00 had zone a at $0.20
    assertThat(history.expected("aws", "us-east-1c", "g5.xlarge", at("2026-12-08T23:00:00Z")))
        .hasValue((0.20 + 0.50) / 2);
    assertThat(history.expected("aws", "us-east-1a", "g5.xlarge", at("2026-12-08T22:00:00Z")))
        .hasValue((0.20 + 0.50) / 2);
    assertThat(history.expected("aws", "us-east-1a", "g5.xlarge", at("2026-12-09T09:00:00Z")))
        .hasValue((0.40 + 0.50) / 2);
    assertThat(history.expected("aws", "eu-west-1a", "g5.xlarge", at("2026-12-09T09:00:00Z")))
        .isEmpty();
  }

  private static Instant at(String s) {
    return Instant.parse(s);
  }
}
