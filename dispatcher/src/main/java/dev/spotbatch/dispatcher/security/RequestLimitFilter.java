package dev.spotbatch.dispatcher.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The per-key rate limit ({@code 429} with {@code Retry-After}) and the body size limit ({@code
 * 413}), for requests that passed authorization. A body without a length is read up to the limit
 * before anything parses it, so an endless chunked body is cut off at the limit too.
 */
public final class RequestLimitFilter extends OncePerRequestFilter {
  private final RateLimiter limiter;
  private final long maxBodyBytes;

  public RequestLimitFilter(RateLimiter limiter, long maxBodyBytes) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          "spotbatch.security.max-body-size must be at least 1, was " + maxBodyBytes);
    }
    this.limiter = limiter;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication a) {
      RateLimiter.Decision d = limiter.acquire(a.getName(), a.rateLimit());
      if (!d.allowed()) {
        long seconds = Math.max(1, (d.retryAfter().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        Problems.write(
            request,
            response,
            429,
            "rate-limited",
            "Too many requests",
            "the API key '"
                + a.getName()
                + "' may make "
                + rate(a.rateLimit().perSecond())
                + " requests per second (bursts of "
                + a.rateLimit().burst()
                + "); retry after "
                + seconds
                + " s (Retry-After), or raise spotbatch.security.rate-limit.* or this key's"
                + " rate-limit",
            Map.of("retryAfterSeconds", seconds));
        return;
      }
    }
    long length = request.getContentLengthLong();
    if (length > maxBodyBytes) {
      tooLarge(request, response, "is " + length + " bytes");
      return;
    }
    if (length < 0 && hasBody(request)) {
      // no Content-Length (chunked): read at most one byte past the limit, then replay
      byte[] body = request.getInputStream().readNBytes((int) Math.min(maxBodyBytes + 1, 1L << 30));
      if (body.length > maxBodyBytes) {
        tooLarge(request, response, "is more than " + maxBodyBytes + " bytes");
        return;
      }
      chain.doFilter(new Replayed(request, body), response);
      return;
    }
    chain.doFilter(request, response);
  }

  private void tooLarge(HttpServletRequest request, HttpServletResponse response, String size)
      throws IOException {
    // the rest of the body is not read: close the connection rather than drain it
    response.setHeader("Connection", "close");
    Problems.write(
        request,
        response,
        413,
        "body-too-large",
        "The request body is too large",
        "the request body "
            + size
            + "; the limit is "
            + maxBodyBytes
            + " bytes (spotbatch.security.max-body-size). Put large inputs in a JSONL object"
            + " under an allowed root and submit it by input.uri instead of inline records",
        Map.of("maxBodyBytes", maxBodyBytes));
  }

  private static boolean hasBody(HttpServletRequest request) {
    String m = request.getMethod();
    return request.getHeader("Transfer-Encoding") != null
        || "POST".equals(m)
        || "PUT".equals(m)
        || "PATCH".equals(m);
  }

  private static String rate(double perSecond) {
    return perSecond == Math.rint(perSecond)
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }

  /** A request whose body was read already. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] body;

    Replayed(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      InputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return available() == 0;
        }

        @Override
        public int available() {
          try {
            return in.available();
          } catch (IOException e) {
            return 0;
          }
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String enc = getCharacterEncoding();
      Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
      return new BufferedReader(new InputStreamReader(getInputStream(), cs));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
