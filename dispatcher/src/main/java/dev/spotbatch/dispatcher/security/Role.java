package dev.spotbatch.dispatcher.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an API key may do. Every role may read; writes need the role of what they change. */
public enum Role {
  /** Submit, cancel and retry jobs; read jobs, estimates and cost. */
  JOBS,
  /** Operate the fleet (interrupt, scale) and read its metrics; read everything else. */
  FLEET;

  /** The name in configuration and messages: {@code jobs}, {@code fleet}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The Spring Security authority. */
  String authority() {
    return "ROLE_" + name();
  }

  public static Optional<Role> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    String t = s.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.name().equals(t)).findFirst();
  }

  /** {@code jobs|fleet}, for messages. */
  public static String allowed() {
    return Arrays.stream(values()).map(Role::apiName).collect(Collectors.joining("|"));
  }
}
