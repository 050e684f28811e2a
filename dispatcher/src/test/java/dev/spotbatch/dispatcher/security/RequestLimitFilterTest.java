package dev.spotbatch.dispatcher.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The body limit on bodies without a Content-Length (chunked), which MockMvc cannot send. */
class RequestLimitFilterTest {
  final RequestLimitFilter filter =
      new RequestLimitFilter(new RateLimiter(new MutableClock(Instant.EPOCH)), 10);

  static MockHttpServletRequest chunked(String body) {
    MockHttpServletRequest r =
        new MockHttpServletRequest("POST", "/api/v1/jobs") {
          @Override
          public long getContentLengthLong() {
            return -1;
          }

          @Override
          public int getContentLength() {
            return -1;
          }
        };
    r.addHeader("Transfer-Encoding", "chunked");
    r.setContent(body.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  @Test
  void aChunkedBodyOverTheLimitIsCutOffWith413() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    AtomicReference<Object> reached = new AtomicReference<>();
    filter.doFilter(chunked("01234567890"), response, (req, res) -> reached.set(req));

    assertThat(reached.get()).isNull();
    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    assertThat(response.getContentAsString()).contains("more than 10 bytes", "the limit is 10");
  }

  @Test
  void aChunkedBodyWithinTheLimitIsPassedOnWhole() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    AtomicReference<String> body = new AtomicReference<>();
    filter.doFilter(
        chunked("0123456789"),
        response,
        (req, res) -> body.set(new String(req.getInputStream().readAllBytes())));

    assertThat(body.get()).isEqualTo("0123456789");
    assertThat(response.getStatus()).isEqualTo(200);
  }
}
