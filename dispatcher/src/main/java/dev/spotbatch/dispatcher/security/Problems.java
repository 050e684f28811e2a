package dev.spotbatch.dispatcher.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the security refusals as RFC 9457 {@code application/problem+json}, the same shape as the
 * API's other problems; they are answered before any controller runs.
 */
final class Problems {
  static final String TYPE_BASE = "https://spotbatch.dev/problems/";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Problems() {}

  static void write(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String type,
      String title,
      String detail,
      Map<String, Object> extra)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", request.getRequestURI());
    body.putAll(extra);
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(JSON.writeValueAsString(body));
    response.getWriter().flush();
  }
}
