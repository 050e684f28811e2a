package dev.spotbatch.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.task.CleanOptions;
import org.junit.jupiter.api.Test;

class CleanerTest {
  @Test
  void normalisesToNfkcAndCollapsesWhiteSpace() {
    Cleaner c = new Cleaner(CleanOptions.defaults(), ContentClaims.inMemory());

    assertThat(c.clean("a", 100, "  \uFB01ne\u00A0\u00A0\uFF21\t\n tea\u2003 ").text())
        .isEqualTo("fine A tea");
  }

  @Test
  void turnsHtmlIntoItsVisibleText() {
    Cleaner c =
        new Cleaner(new CleanOptions(null, null, true, null, null, null), ContentClaims.inMemory());

    assertThat(
            c.clean(
                    "a",
                    200,
                    "<html><head><title>t</title><script>var x=1;</script></head>"
                        + "<body><h1>Head</h1><p>One &amp; two</p></body></html>")
                .text())
        .isEqualTo("Head One & two");
  }

  @Test
  void dropsTooShortTooLongAndRepeatedTextsWithAReason() {
    Cleaner c =
        new Cleaner(new CleanOptions(null, null, null, 3, 10, null), ContentClaims.inMemory());

    assertThat(c.clean("a", 300, "ab").dropped()).contains("fewer than minChars 3");
    assertThat(c.clean("b", 400, "abcdefghijk").dropped()).contains("more than maxChars 10");
    assertThat(c.clean("c", 500, "same  text").kept()).isTrue();
    assertThat(c.clean("d", 600, " same text ").dropped()).contains("duplicate of record c");
  }

  @Test
  void keepsRepeatsWhenToldNotToDedupe() {
    Cleaner c =
        new Cleaner(
            new CleanOptions(null, null, null, null, null, false), ContentClaims.inMemory());

    assertThat(c.clean("c", 700, "same").kept()).isTrue();
    assertThat(c.clean("d", 800, "same").kept()).isTrue();
  }
}
