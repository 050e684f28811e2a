package dev.spotbatch.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.store.s3.S3ObjectStore;
import dev.spotbatch.task.ModelLocations;
import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.testing.S3ProxyServer;
import dev.spotbatch.worker.inference.Djl;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.InferenceDevice;
import dev.spotbatch.worker.testing.E5ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bring-your-own path with a second real model: e5-small-v2 (int8) packaged with a descriptor,
 * served from a {@code file://} location and from S3 (S3Proxy), gives the embeddings langchain4j's
 * own e5 model gives for the same texts.
 */
class BroughtModelsTest {
  static final List<String> TEXTS =
      List.of(
          "A man is eating food.",
          "The girl is carrying a baby.",
          "Spot capacity is cheap but can be taken back with two minutes of notice.");

  @TempDir static Path shared;
  static Path modelDir;
  static List<float[]> reference = new ArrayList<>();
  static S3ProxyServer s3;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    modelDir = E5ModelFiles.write(shared.resolve("models/e5"), null);
    // DJL sets up ONNX Runtime's environment with its own thread options: it must come first, then
    // langchain4j shares that environment
    Djl.offline();
    Engine.getEngine("OnnxRuntime");
    var e5 = new E5SmallV2QuantizedEmbeddingModel();
    for (String t : TEXTS) {
      // langchain4j embeds the text as given: e5 wants the prefix, so it is part of the text
      reference.add(e5.embed("passage: " + t).content().vector());
    }
    s3 = S3ProxyServer.start();
    s3.createBucket("models");
  }

  @AfterAll
  static void tearDown() {
    s3.close();
  }

  @Test
  void e5FromAFileLocationEmbedsAsLangchain4jDoes() {
    ObjectStore store = new LocalObjectStore(List.of(shared));
    String uri = StoreUri.of(modelDir).asPrefix().toString();
    try (EmbeddingModel model = load(store, "file://" + shared.toUri().getPath(), uri)) {
      assertThat(model.name()).isEqualTo("e5-small-v2-q");
      assertThat(model.dimensions()).isEqualTo(384);
      assertThat(model.prefix(null)).isEqualTo("passage: ");
      assertMatchesReference(model);
    }
  }

  @Test
  void e5FromS3EmbedsAsLangchain4jDoes() throws Exception {
    S3ObjectStore store = new S3ObjectStore(s3.client());
    for (String f : List.of("model.onnx", "tokenizer.json", "spotbatch-model.json")) {
      store.put(StoreUri.parse("s3://models/e5/" + f), modelDir.resolve(f));
    }
    try (EmbeddingModel model = load(store, "s3://models/", "s3://models/e5/")) {
      assertMatchesReference(model);
    }
  }

  @Test
  void aFileThatDoesNotMatchItsChecksumIsRefusedAndRemembered() throws Exception {
    Path bad = tmp.resolve("bad");
    E5ModelFiles.write(bad, null);
    Files.writeString(bad.resolve("tokenizer.json"), "{}"); // not what the descriptor lists
    ObjectStore store = new LocalObjectStore(List.of(tmp));
    String uri = StoreUri.of(bad).asPrefix().toString();
    BroughtModels models = models(store, StoreUri.of(tmp).asPrefix().toString());
    ModelRef ref = ref(store, uri);

    assertThatThrownBy(() -> models.apply(ref))
        .isInstanceOf(ModelProblemException.class)
        .hasMessageContaining("checksum of")
        .hasMessageContaining("tokenizer.json");
    Files.delete(bad.resolve("model.onnx")); // not fetched again: the same reason at once
    assertThatThrownBy(() -> models.apply(ref)).hasMessageContaining("checksum of");
    assertThat(tmp.resolve("cache")).isEmptyDirectory();
  }

  @Test
  void aModelThatChangedSinceSubmitIsRefused() throws Exception {
    Path dir = tmp.resolve("m");
    E5ModelFiles.write(dir, null);
    ObjectStore store = new LocalObjectStore(List.of(tmp));
    String uri = StoreUri.of(dir).asPrefix().toString();
    ModelRef ref = ref(store, uri);
    E5ModelFiles.write(dir, "\"maxLength\":256"); // a new descriptor, another digest

    assertThatThrownBy(() -> models(store, StoreUri.of(tmp).asPrefix().toString()).apply(ref))
        .hasMessageContaining("changed since the job was submitted");
  }

  @Test
  void aLocationOutsideTheModelRootsIsRefused() {
    ObjectStore store = new LocalObjectStore(List.of(shared, tmp));
    String uri = StoreUri.of(modelDir).asPrefix().toString();
    ModelRef ref = ref(store, uri);
    BroughtModels models = models(store, StoreUri.of(tmp).asPrefix().toString());

    assertThatThrownBy(() -> models.apply(ref))
        .isInstanceOf(ModelProblemException.class)
        .hasMessageContaining("outside the allowed storage roots");
  }

  private EmbeddingModel load(ObjectStore store, String root, String uri) {
    return models(store, root).apply(ref(store, uri));
  }

  private BroughtModels models(ObjectStore store, String root) {
    ModelCacheSettings settings =
        new ModelCacheSettings(
            tmp.resolve("cache"),
            1L << 30,
            200L << 20,
            StorageRoots.of("spotbatch.worker.model-cache.roots", List.of(root)));
    return new BroughtModels(
        new ModelCache(store, settings, Clock.systemUTC()), 2, InferenceDevice.cpu());
  }

  private static ModelRef ref(ObjectStore store, String uri) {
    StorageRoots any =
        StorageRoots.of("test", List.of(uri.startsWith("s3") ? "s3://models/" : "file:///"));
    return ModelLocations.inspect(store, any, uri, 1L << 30).ref(null);
  }

  private static void assertMatchesReference(EmbeddingModel model) {
    List<String> prefixed = TEXTS.stream().map(t -> model.prefix(null) + t).toList();
    for (int i = 0; i < TEXTS.size(); i++) { // one at a time, as langchain4j runs them: 1e-5
      float[] ours = model.embed(List.of(prefixed.get(i)))[0];
      float[] theirs = reference.get(i);
      assertThat(ours).hasSize(theirs.length);
      for (int d = 0; d < ours.length; d++) {
        assertThat((double) ours[d])
            .isCloseTo(theirs[d], org.assertj.core.api.Assertions.within(1e-5));
      }
    }
    // padded together, int8 dynamic quantisation scales activations over the whole batch: the
    // vectors move a little (cosine 0.9974 seen for the longest text)
    float[][] batch = model.embed(prefixed);
    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(cosine(batch[i], reference.get(i))).isGreaterThan(0.995);
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * (double) b[i];
      na += a[i] * (double) a[i];
      nb += b[i] * (double) b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
