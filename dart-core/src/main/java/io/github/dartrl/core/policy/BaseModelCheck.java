package io.github.dartrl.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.model.DecoderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link PolicyCheckpoint#load} does when dart.json's {@code base_model} does not name the
 * model the adapters are being loaded onto. Adapters trained on one backbone compute nonsense on
 * another of the same shape, so the default refuses.
 *
 * <p>The recorded name matches the model when it is the same directory (any spelling of the path)
 * or when its last path segment equals the model directory's name: a hub id such as {@code
 * Qwen/Qwen2.5-3B} against a local {@code Qwen2.5-3B}, a directory on another machine, or a copy of
 * the model directory under the same name. A model built in memory has no directory, and then
 * nothing is checked.
 */
public enum BaseModelCheck {
  /** Refuse with an error naming both models (the default). */
  REFUSE,
  /** Log a warning and load anyway. */
  WARN;

  private static final Logger LOG = LoggerFactory.getLogger(BaseModelCheck.class);

  void check(Path dartFile, JsonNode recorded, DecoderModel model) {
    if (model.source().isEmpty()) {
      return;
    }
    Path source = model.source().get();
    if (recorded == null || !recorded.isTextual() || recorded.asText().isBlank()) {
      throw new ModelFormatException(
          dartFile, "base_model", "expected the base model's name or path, found " + recorded);
    }
    String name = recorded.asText();
    if (matches(name, source)) {
      return;
    }
    String message =
        "the adapters were trained on base model \""
            + name
            + "\", but the model being loaded is "
            + source
            + "; load them onto that model (or, if it is the same model under another name,"
            + " allow the mismatch: --allow-base-model-mismatch on the CLI)";
    if (this == REFUSE) {
      throw new ModelFormatException(dartFile, "base_model", message);
    }
    LOG.warn("{}: {}", dartFile, message);
  }

  static boolean matches(String recorded, Path source) {
    Path path;
    try {
      path = Path.of(recorded);
    } catch (InvalidPathException e) {
      return false;
    }
    if (Files.isDirectory(path)) {
      try {
        if (Files.isSameFile(path, source)) {
          return true;
        }
      } catch (IOException e) {
        // unreadable: fall back to the name
      }
    }
    Path last = path.getFileName();
    Path dirName = source.getFileName();
    return last != null && dirName != null && last.toString().equals(dirName.toString());
  }
}
