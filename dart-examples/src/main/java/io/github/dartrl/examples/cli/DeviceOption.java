package io.github.dartrl.examples.cli;

import ai.djl.Device;
import io.github.dartrl.core.model.Devices;
import io.github.dartrl.examples.JobDevice;
import picocli.CommandLine.Option;

/** {@code --device cpu|gpu|gpu:N}, shared by every command that loads a model. */
final class DeviceOption {
  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "cpu|gpu|gpu:N",
      description =
          "where the model, KV cache, adapters and optimizer state live (default: ${DEFAULT-VALUE});"
              + " a GPU needs a CUDA build of libtorch (README, GPU) and is unmeasured")
  String device;

  /** The parsed device, checked to be usable, and made the device of this process's jobs. */
  Device select() {
    Device d = Devices.requireAvailable(Devices.parse(device));
    JobDevice.use(d);
    return d;
  }
}
