package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.job.InvalidJobException;
import dev.spotbatch.dispatcher.job.JobNotFoundException;
import dev.spotbatch.dispatcher.job.JobStateException;
import dev.spotbatch.dispatcher.job.PlannerBusyException;
import dev.spotbatch.dispatcher.job.Violation;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.store.StoreException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error into RFC 9457 {@code application/problem+json} with a detail a person can act
 * on; validation problems also carry {@code errors: [{field, message}]}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
  /** The prefix of every problem {@code type} URI. */
  public static final String TYPE_BASE = "https://spotbatch.dev/problems/";

  // the OpenAPI description: the Problem schema and one example per type, named after the type
  // (OpenApiConfig defines them; the controllers' annotations, here and in spotbatch-local, refer
  // to them)
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String SCHEMA_REF = "#/components/schemas/Problem";
  public static final String EXAMPLES_REF = "#/components/examples/";

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(InvalidJobException.class)
  ResponseEntity<ProblemDetail> invalidJob(InvalidJobException e) {
    ProblemDetail p =
        problem(
            HttpStatus.BAD_REQUEST, "invalid-job", "The job request is invalid", e.getMessage());
    p.setProperty("errors", errors(e.violations()));
    return respond(p);
  }

  @ExceptionHandler(BadRequestException.class)
  ResponseEntity<ProblemDetail> badRequest(BadRequestException e) {
    ProblemDetail p =
        problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request parameter", e.getMessage());
    p.setProperty("errors", errors(List.of(new Violation(e.field(), e.getMessage()))));
    return respond(p);
  }

  @ExceptionHandler(JobNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(JobNotFoundException e) {
    ProblemDetail p = problem(HttpStatus.NOT_FOUND, "job-not-found", "No such job", e.getMessage());
    p.setProperty("jobId", e.jobId());
    return respond(p);
  }

  @ExceptionHandler(JobStateException.class)
  ResponseEntity<ProblemDetail> conflict(JobStateException e) {
    return respond(
        problem(
            HttpStatus.CONFLICT,
            "job-state",
            "The job is not in a state that allows this",
            e.getMessage()));
  }

  @ExceptionHandler(PlannerBusyException.class)
  ResponseEntity<ProblemDetail> busy(PlannerBusyException e) {
    ProblemDetail p =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE, "busy", "Too many jobs being planned", e.getMessage());
    return ResponseEntity.status(p.getStatus())
        .header("Retry-After", "1")
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }

  @ExceptionHandler({StoreException.class, QueueException.class})
  ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
    log.warn("storage or queue unavailable", e);
    return respond(
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "unavailable",
            "Storage or queue unavailable",
            e.getMessage() + "; try again shortly"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected error", e);
    return respond(
        problem(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the dispatcher failed unexpectedly ("
                + e.getClass().getSimpleName()
                + "); see its log, and report it if it persists"));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail p =
        problem(
            HttpStatus.BAD_REQUEST,
            "malformed-json",
            "The request body is not valid JSON for a job",
            describe(ex));
    return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }

  @Override
  protected ResponseEntity<Object> handleNoResourceFoundException(
      NoResourceFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail p =
        problem(
            HttpStatus.NOT_FOUND,
            "no-such-endpoint",
            "No such endpoint",
            "there is no "
                + ex.getHttpMethod()
                + " /"
                + ex.getResourcePath().replaceFirst("^/+", "")
                + "; the endpoints are listed at /v3/api-docs (the interrupt endpoint exists only"
                + " with the local fleet)");
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail p =
        problem(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "The request body's media type is not supported",
            (ex.getContentType() == null
                    ? "the request has no Content-Type"
                    : "Content-Type '" + ex.getContentType() + "' is not supported")
                + "; send the body as JSON with Content-Type: application/json");
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    return ResponseEntity.status(statusCode)
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(body);
  }

  static String describe(HttpMessageNotReadableException ex) {
    Throwable t = ex;
    while (t != null && !(t instanceof JacksonException)) {
      t = t.getCause();
    }
    if (t == null) {
      return "the request body is missing or unreadable; send a JSON job object with Content-Type"
          + " application/json";
    }
    JacksonException j = (JacksonException) t;
    StringBuilder where = new StringBuilder();
    String path = path(j);
    if (!path.isEmpty()) {
      where.append(" at field '").append(path).append("'");
    }
    TokenStreamLocation loc = j.getLocation();
    if (loc != null && loc.getLineNr() > 0) {
      where
          .append(" (line ")
          .append(loc.getLineNr())
          .append(", column ")
          .append(loc.getColumnNr())
          .append(")");
    }
    return "malformed JSON" + where + ": " + whatToFix(j);
  }

  /**
   * Jackson's reason in the API's words: which field is unknown (and the known ones), or what shape
   * was expected; never a Java class name.
   */
  private static String whatToFix(JacksonException j) {
    if (j instanceof UnrecognizedPropertyException u) {
      List<String> known =
          u.getKnownPropertyIds() == null
              ? List.of()
              : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      return "unknown field '" + u.getPropertyName() + "'; the known fields here are " + known;
    }
    if (j instanceof InvalidFormatException f && f.getTargetType() != null) {
      return "'" + f.getValue() + "' is not " + expected(f.getTargetType());
    }
    String msg = j.getOriginalMessage();
    if (msg != null && msg.startsWith("Trailing token")) {
      return "there is more after the job object; send exactly one JSON object";
    }
    if (j instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + expected(m.getTargetType());
    }
    if (msg != null) {
      int nl = msg.indexOf('\n');
      msg = nl > 0 ? msg.substring(0, nl) : msg;
      // a safety net: no Java type names in what a client reads
      msg = msg.replaceAll("`[A-Za-z_$][\\w$]*(\\.[\\w$<>, ]+)+`", "a value of another type");
    }
    return msg;
  }

  private static String expected(Class<?> type) {
    if (type == JobRequest.class) {
      return "a JSON object, the job: {\"model\": \"...\", \"input\": {\"uri\": \"...\"} or"
          + " \"records\": [...], \"output\": {\"uri\": \"...\"}}";
    }
    if (type == JobRequest.Input.class) {
      return "an object {\"uri\": \"...\", \"format\": \"jsonl\", \"textField\": \"text\","
          + " \"idField\": \"id\"}";
    }
    if (type == JobRequest.Output.class) {
      return "an object {\"uri\": \"...\", \"format\": \"jsonl\" or \"npy\"}";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a JSON object";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a value of another shape";
  }

  private static String path(JacksonException j) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference r : j.getPath()) {
      if (r.getPropertyName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static List<Map<String, String>> errors(List<Violation> violations) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Violation v : violations) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("field", v.field());
      m.put("message", v.message());
      out.add(m);
    }
    return out;
  }

  /** A problem of type {@code TYPE_BASE + type}, for handlers in other packages too. */
  public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPE_BASE + type));
    p.setTitle(title);
    return p;
  }

  /** The problem as {@code application/problem+json} with its status. */
  public static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }
}
