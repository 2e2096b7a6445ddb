package io.github.dartrl.grpo.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;

/**
 * A reader of one input file and the exception its format errors raise: {@link #holding} makes the
 * fault case that writes bad content to the file and expects the reader to reject it.
 *
 * @param category the fault category of the cases
 * @param file the file's name in the workspace
 * @param read reads {@code file} (e.g. builds an index from it)
 * @param error what a format error throws
 */
record BadFile(
    Category category, String file, FaultCase.Action read, Class<? extends Throwable> error) {

  /**
   * The case: {@link #file} holding {@code content}; reading it throws {@link #error} naming every
   * one of {@code fragments}.
   */
  FaultCase holding(String name, String input, String content, String... fragments) {
    return of(name, category, input, w -> w.write(file, content), read, throwsA(error, fragments));
  }
}
