package dev.spotbatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code chunk,embed} job (issue 14) that rides along in a chaos run: {@value #DOCS} documents of
 * three sentences each, cut into chunks of at most 16 tokens in small items, so an interruption
 * lands mid-item and a 5 s notice checkpoints between chunks. Its check: every chunk of every
 * document exactly once across the manifest's parts, numbered without gaps.
 */
final class ChunkEmbedJob {
  static final int DOCS = 400;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path input;
  private final Path out;

  ChunkEmbedJob(Path dataDir) {
    this.input = dataDir.resolve("input/chunks.jsonl");
    this.out = dataDir.resolve("out/chunks/");
  }

  /** Writes the input and returns the job's submit body. */
  String prepare() throws IOException {
    Files.createDirectories(input.getParent());
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < DOCS; i++) {
      String text =
          Sentences.sentence(i) + " " + Sentences.sentence(i + 1) + " " + Sentences.sentence(i + 2);
      lines.add("{\"id\":\"doc-" + i + "\",\"text\":\"" + text + "\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    return """
        {"name":"chunks","model":"all-minilm-l6-v2","tasks":["chunk","embed"],
         "options":{"chunk":{"maxTokens":16,"overlap":4}},
         "input":{"uri":"%s"},"output":{"uri":"%s"},"itemBytes":4096}
        """
        .formatted(input.toUri(), out.toUri());
  }

  /** The finished job (as the API shows it) wrote every chunk exactly once, none missing. */
  void assertEveryChunkExactlyOnce(JsonNode job) throws IOException {
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/tasks").toString()).isEqualTo("[\"chunk\",\"embed\"]");
    JsonNode manifest =
        JSON.readTree(Files.readString(Path.of(URI.create(job.at("/output/manifest").asString()))));
    assertThat(manifest.at("/model/name").asString()).isEqualTo("all-minilm-l6-v2");
    assertThat(manifest.get("tasks").toString()).isEqualTo("[\"chunk\",\"embed\"]");
    Map<String, Integer> seen = new HashMap<>();
    Map<String, Set<Integer>> chunksOf = new HashMap<>();
    for (JsonNode part : manifest.get("parts")) {
      for (String line : Files.readAllLines(out.resolve(part.get("path").asString()))) {
        JsonNode rec = JSON.readTree(line);
        String id = rec.get("id").asString();
        seen.merge(id, 1, Integer::sum);
        String source = rec.get("sourceId").asString();
        assertThat(id).isEqualTo(source + "#" + rec.get("chunk").asInt());
        assertThat(rec.get("tokens").asInt()).isBetween(1, 16);
        assertThat(rec.get("embedding").size()).isEqualTo(384);
        chunksOf.computeIfAbsent(source, k -> new HashSet<>()).add(rec.get("chunk").asInt());
      }
    }
    assertThat(seen.values()).as("chunks written more than once").allMatch(n -> n == 1);
    assertThat(chunksOf).hasSize(DOCS);
    for (Set<Integer> chunks : chunksOf.values()) { // numbered 0..n-1: none lost at a checkpoint
      assertThat(chunks).hasSize(Collections.max(chunks) + 1);
    }
    assertThat(job.at("/records/succeeded").asLong()).isEqualTo(seen.size());
  }
}
