package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxOptionsTest {
  private static final Path CACHE = Path.of("target", "model-cache");

  @Test
  void spinningOffTellsOnnxRuntimesPoolsNotToSpin() throws Exception {
    try (OrtSession.SessionOptions options =
        new OnnxOptions(2, OnnxSpinning.OFF).sessionOptions()) {
      assertThat(options.getConfigEntries())
          .containsEntry("session.intra_op.allow_spinning", "0")
          .containsEntry("session.inter_op.allow_spinning", "0");
    }
  }

  @Test
  void spinningOnIsOnnxRuntimesOwnBehaviour() throws Exception {
    try (OrtSession.SessionOptions options = new OnnxOptions(2, OnnxSpinning.ON).sessionOptions()) {
      assertThat(options.getConfigEntries())
          .containsEntry("session.intra_op.allow_spinning", "1")
          .containsEntry("session.inter_op.allow_spinning", "1");
    }
  }

  @Test
  void refusesFewerThanOneThread() {
    assertThatThrownBy(() -> new OnnxOptions(0, OnnxSpinning.ON))
        .hasMessageContaining("intra-op threads must be >= 1");
    assertThatThrownBy(() -> new OnnxOptions(1, null)).isInstanceOf(NullPointerException.class);
  }

  /**
   * The model is now loaded with a ready session configuration instead of through DJL's Criteria:
   * with spinning on or off, every dimension is what the Criteria-loaded model gave before.
   */
  @Test
  void embedsAsTheCriteriaLoadedModelDidWithSpinningOnAndOff() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      texts.add(("word" + i + " ").repeat(1 + (i * 7) % 40) + "end of text " + i);
    }
    float[][] before = criteriaLoaded(texts);
    for (OnnxSpinning spinning : OnnxSpinning.values()) {
      try (EmbeddingModel model =
          MiniLmOnnxModel.load(CACHE, new OnnxOptions(2, spinning), InferenceDevice.cpu())) {
        for (int from = 0; from < texts.size(); from += 32) {
          List<String> batch = texts.subList(from, Math.min(texts.size(), from + 32));
          float[][] now = model.embed(batch);
          for (int i = 0; i < batch.size(); i++) {
            for (int d = 0; d < now[i].length; d++) {
              assertThat(now[i][d])
                  .as("spinning %s, text %d, dimension %d", spinning, from + i, d)
                  .isCloseTo(before[from + i][d], org.assertj.core.api.Assertions.within(1e-5f));
            }
          }
        }
      }
    }
  }

  /** The model as OnnxEmbeddingModel loaded it before spinning was a setting. */
  private static float[][] criteriaLoaded(List<String> texts) throws Exception {
    Path dir = CACHE.resolve(MiniLmOnnxModel.NAME);
    Path onnx = MiniLmOnnxModel.extract(MiniLmOnnxModel.ONNX_RESOURCE, dir);
    Path tokenizerFile = MiniLmOnnxModel.extract(MiniLmOnnxModel.TOKENIZER_RESOURCE, dir);
    try (HuggingFaceTokenizer tokenizer =
            HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerFile)
                .optPadding(true)
                .optTruncation(true)
                .optMaxLength(MiniLmOnnxModel.MAX_LENGTH)
                .build();
        ZooModel<String[], float[][]> model =
            Criteria.builder()
                .setTypes(String[].class, float[][].class)
                .optModelPath(onnx)
                .optEngine("OnnxRuntime")
                .optOption("intraOpNumThreads", "2")
                .optOption("interOpNumThreads", "1")
                .optTranslator(
                    new TextEmbeddingTranslator(
                        tokenizer,
                        true,
                        ModelShape.meanPooled(
                            MiniLmOnnxModel.DIMENSIONS, MiniLmOnnxModel.MAX_LENGTH)))
                .build()
                .loadModel();
        var predictor = model.newPredictor()) {
      List<float[]> out = new ArrayList<>();
      for (int from = 0; from < texts.size(); from += 32) {
        for (float[] v :
            predictor.predict(
                texts.subList(from, Math.min(texts.size(), from + 32)).toArray(new String[0]))) {
          out.add(v);
        }
      }
      return out.toArray(new float[0][]);
    }
  }
}
