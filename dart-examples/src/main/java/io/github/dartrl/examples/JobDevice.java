package io.github.dartrl.examples;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.Devices;

/**
 * The device dart4j's jobs (quickstart, compare, interference, train-real, the LEAS commands and
 * the benchmarks) put their models on: chosen once per process by the command line's {@code
 * --device} option, or by {@code -Ddart4j.device=} for the benchmarks' child JVMs; the CPU unless
 * asked. Application state, like the native switches: the library takes a root manager instead
 * ({@link Devices#newRoot}).
 */
public final class JobDevice {
  /** {@code cpu}, {@code gpu} or {@code gpu:N}: the device of a JVM started without --device. */
  public static final String PROPERTY = "dart4j.device";

  private static volatile Device device = Devices.parse(System.getProperty(PROPERTY, "cpu"));

  private JobDevice() {}

  /** Uses {@code d} for every root manager made from now on. */
  public static void use(Device d) {
    device = Devices.requireAvailable(d);
  }

  /** The device in use. */
  public static Device get() {
    return device;
  }

  /** A new root manager of the PyTorch engine on the device in use. */
  public static NDManager newRoot() {
    return Devices.newRoot(device);
  }
}
