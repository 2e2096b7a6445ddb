package io.github.dartrl.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device a model runs on, named as the command line names it: {@code cpu}, {@code gpu} (the
 * first GPU) or {@code gpu:N}. A model lives on its root {@link NDManager}'s device: the weights
 * {@link HfCheckpoint#load} reads, the KV caches, the LoRA adapters and the optimizer state are all
 * created from that manager or its sub-managers, so choosing the root's device places all of them.
 *
 * <p>DJL would put a manager made without a device on the first GPU whenever libtorch sees one;
 * {@link #newRoot} always names the device, so a run is on the device asked for or fails.
 */
public final class Devices {
  private static final Pattern GPU = Pattern.compile("gpu(?::(\\d{1,3}))?");

  private Devices() {}

  /**
   * Parses {@code cpu}, {@code gpu} or {@code gpu:N} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Device parse(String spec) {
    String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    Matcher m = GPU.matcher(s);
    if (m.matches()) {
      return Device.gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
    }
    throw new IllegalArgumentException("device must be cpu, gpu or gpu:N, got '" + spec + "'");
  }

  /** The name {@link #parse} reads back: {@code cpu} or {@code gpu:N}. */
  public static String name(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }

  /**
   * Checks that libtorch can use {@code device}: the CPU always, a GPU only with a CUDA build of
   * libtorch that sees that many GPUs.
   *
   * @throws IllegalStateException saying what is missing and how to get a CUDA build
   */
  public static Device requireAvailable(Device device) {
    if (!device.isGpu()) {
      return device;
    }
    int visible = Engine.getEngine("PyTorch").getGpuCount();
    if (visible == 0) {
      throw new IllegalStateException(
          "device "
              + name(device)
              + " asked for, but libtorch sees no CUDA GPU (a CPU build of libtorch, e.g."
              + " pytorch-native-cpu, or no NVIDIA driver); build with -Dcuda and run with a CUDA"
              + " libtorch (README, section GPU), or use --device cpu");
    }
    if (device.getDeviceId() >= visible) {
      throw new IllegalStateException(
          "device "
              + name(device)
              + " asked for, but libtorch sees "
              + visible
              + " GPU(s): gpu:0 to gpu:"
              + (visible - 1));
    }
    return device;
  }

  /**
   * A new root manager of the PyTorch engine on {@code device}, after {@link #requireAvailable}.
   */
  public static NDManager newRoot(Device device) {
    return NDManager.newBaseManager(requireAvailable(device), "PyTorch");
  }
}
