package dev.spotbatch.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.task.ChunkOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunk task with the built-in model's real tokenizer. */
class ChunkerTest {
  static final Tokenizers TOKENIZERS = new Tokenizers(Path.of("target", "model-cache"));
  static final TokenSpans MINILM = TOKENIZERS.builtIn("all-minilm-l6-v2");

  @Test
  void packsWholeSentencesUpToTheLimit() {
    String text = "One two three. Four five six. Seven eight nine. Ten eleven twelve.";
    List<Chunker.Span> spans = new Chunker(new ChunkOptions(8, 0, null), MINILM).split(text);

    assertThat(spans)
        .extracting(s -> text.substring(s.start(), s.end()))
        .containsExactly("One two three. Four five six.", "Seven eight nine. Ten eleven twelve.");
    assertThat(spans).extracting(Chunker.Span::tokens).containsExactly(8, 8);
  }

  @Test
  void splitsASentenceLongerThanTheLimitBetweenTokensAndOverlaps() {
    String text = "a b c d e f g h i j k l m n o p q r s t";
    List<Chunker.Span> spans = new Chunker(new ChunkOptions(8, 2, null), MINILM).split(text);

    assertThat(spans).allSatisfy(s -> assertThat(s.tokens()).isLessThanOrEqualTo(8));
    assertThat(text.substring(spans.get(0).start(), spans.get(0).end()))
        .isEqualTo("a b c d e f g h");
    // the next chunk repeats the last two tokens of the one before
    assertThat(text.substring(spans.get(1).start(), spans.get(1).end())).startsWith("g h i");
    assertThat(spans.get(spans.size() - 1).end()).isEqualTo(text.length());
  }

  @Test
  void overlapStartsOnASentenceWhereOneLiesInTheWindow() {
    String text = "One two three four five six. Seven eight. Nine ten eleven twelve thirteen.";
    List<Chunker.Span> spans = new Chunker(new ChunkOptions(12, 4, null), MINILM).split(text);

    assertThat(text.substring(spans.get(1).start())).startsWith("Seven eight.");
  }

  @Test
  void offsetsAreJavaStringIndexesAlsoAfterCharactersOutsideTheBasicPlane() {
    String text = "Rocket \uD83D\uDE80 launch today. Then a second sentence follows here.";
    List<Chunker.Span> spans = new Chunker(new ChunkOptions(8, 0, null), MINILM).split(text);

    assertThat(
            text.substring(spans.get(spans.size() - 1).start(), spans.get(spans.size() - 1).end()))
        .endsWith("follows here.");
    assertThat(spans).allSatisfy(s -> assertThat(s.end()).isLessThanOrEqualTo(text.length()));
  }

  @Test
  void theSameTextGivesTheSameChunks() {
    String text = "Alpha beta. Gamma delta epsilon. Zeta eta theta iota kappa. Lambda.";
    Chunker chunker = new Chunker(new ChunkOptions(8, 3, null), MINILM);

    assertThat(chunker.split(text)).isEqualTo(chunker.split(text));
  }
}
