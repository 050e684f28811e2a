package dev.spotbatch.dispatcher.security;

import dev.spotbatch.dispatcher.api.JobRequest;
import java.lang.reflect.Type;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses a job with more inline {@code records} than {@code spotbatch.security.max-inline-records}
 * (400, saying the limit and the alternative), before the job is validated or stored.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InlineRecordLimit extends RequestBodyAdviceAdapter {
  private final int maxRecords;

  public InlineRecordLimit(
      @Value("${spotbatch.security.max-inline-records:10000}") int maxRecords) {
    if (maxRecords < 0) {
      throw new IllegalArgumentException(
          "spotbatch.security.max-inline-records must be 0 or more, was " + maxRecords);
    }
    this.maxRecords = maxRecords;
  }

  @Override
  public boolean supports(
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType) {
    return JobRequest.class.equals(parameter.getParameterType());
  }

  @Override
  public Object afterBodyRead(
      Object body,
      HttpInputMessage inputMessage,
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType) {
    if (body instanceof JobRequest r && r.records() != null && r.records().size() > maxRecords) {
      throw new TooManyRecordsException(r.records().size(), maxRecords);
    }
    return body;
  }

  /** More inline records than allowed. */
  static final class TooManyRecordsException extends RuntimeException {
    final int count;
    final int max;

    TooManyRecordsException(int count, int max) {
      super(
          "records holds "
              + count
              + " records; at most "
              + max
              + " may be sent inline (spotbatch.security.max-inline-records): write them to a"
              + " JSONL object under an allowed root and submit it as input.uri");
      this.count = count;
      this.max = max;
    }
  }

  @ExceptionHandler(TooManyRecordsException.class)
  ResponseEntity<ProblemDetail> tooMany(TooManyRecordsException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    p.setType(URI.create(Problems.TYPE_BASE + "too-many-records"));
    p.setTitle("Too many inline records");
    p.setProperty("maxInlineRecords", e.max);
    p.setProperty("errors", List.of(Map.of("field", "records", "message", e.getMessage())));
    return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
