package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named tensors in the safetensors format, and their assignment to a {@link GptModel}. */
public final class Weights {

  private Weights() {}

  /** Writes {@code tensors} (name -> array) to {@code file} as safetensors. */
  public static void save(Map<String, NDArray> tensors, Path file) throws IOException {
    NDList list = new NDList();
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      e.getValue().setName(e.getKey());
      list.add(e.getValue());
    }
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
      list.encode(os, NDList.Encoding.SAFETENSORS);
    }
  }

  /** Reads a safetensors file into arrays owned by {@code manager}. */
  public static Map<String, NDArray> read(NDManager manager, Path file) throws IOException {
    try (InputStream is = new BufferedInputStream(Files.newInputStream(file))) {
      NDList list = NDList.decode(manager, is);
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (NDArray a : list) {
        out.put(a.getName(), a);
      }
      return out;
    } catch (RuntimeException e) {
      throw new IOException("not a readable safetensors file: " + e.getMessage(), e);
    }
  }

  /** The model's current parameters (adapters included), by name; the arrays are not copies. */
  public static Map<String, NDArray> current(GptModel model) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    model.namedParameters().forEach((k, p) -> out.put(k, p.getArray()));
    return out;
  }

  /**
   * Copies {@code tensors} into the (initialised) model's parameters.
   *
   * @param adaptersOptional when true, adapters missing from {@code tensors} keep their fresh
   *     initialisation (fine-tuning a LoRA model from a base artifact)
   * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped tensor
   */
  public static void assign(
      GptModel model, Map<String, NDArray> tensors, boolean adaptersOptional) {
    Map<String, Parameter> params = model.namedParameters();
    for (String name : tensors.keySet()) {
      if (!params.containsKey(name)) {
        throw new IllegalArgumentException("unexpected tensor '" + name + "' for this config");
      }
    }
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray src = tensors.get(e.getKey());
      if (src == null) {
        if (adaptersOptional && GptModel.isAdapter(e.getKey())) {
          continue;
        }
        throw new IllegalArgumentException("missing tensor '" + e.getKey() + "'");
      }
      NDArray dst = e.getValue().getArray();
      if (!dst.getShape().equals(src.getShape()) || dst.getDataType() != src.getDataType()) {
        throw new IllegalArgumentException(
            "tensor '"
                + e.getKey()
                + "' is "
                + src.getDataType()
                + src.getShape()
                + " but the config expects "
                + dst.getDataType()
                + dst.getShape());
      }
      src.copyTo(dst);
    }
  }
}
