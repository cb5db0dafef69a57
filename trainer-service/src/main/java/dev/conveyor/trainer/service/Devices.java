package dev.conveyor.trainer.service;

import ai.djl.engine.Engine;

/**
 * Resolves {@code conveyor.trainer.device}: {@code auto} means the GPU when the engine sees one.
 */
final class Devices {
  private Devices() {}

  static String resolve(String configured) {
    String d = configured == null ? "auto" : configured.trim().toLowerCase();
    if (!d.equals("auto")) {
      if (!d.equals("cpu") && !d.matches("gpu(:\\d+)?")) {
        throw new IllegalArgumentException(
            "conveyor.trainer.device must be auto, cpu, gpu or gpu:N, got " + configured);
      }
      return d;
    }
    return Engine.getEngine("PyTorch").getGpuCount() > 0 ? "gpu" : "cpu";
  }
}
