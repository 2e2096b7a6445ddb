package io.github.dartrl.examples;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * This process's environment as the C library sees it, which is what native libraries (libtorch,
 * MKL) read. {@link System#getenv} only knows the environment the JVM started with, and Java cannot
 * change it; native switches that are read once at initialisation can still be set this way before
 * that moment.
 */
final class NativeEnvironment {
  private NativeEnvironment() {}

  private interface LibC extends Library {
    int setenv(String name, String value, int overwrite);

    String getenv(String name);
  }

  /** The variable's value, or null when it is unset or the C library cannot be reached. */
  static synchronized String get(String name) {
    LibC libc = libc();
    return libc == null ? null : libc.getenv(name);
  }

  /**
   * Sets {@code name=value} unless the variable is already set (to anything: the user's choice
   * wins). Linux only.
   *
   * @return whether the variable equals {@code value} after the call
   */
  static synchronized boolean setIfAbsent(String name, String value) {
    LibC libc = libc();
    if (libc == null) {
      return false;
    }
    if (libc.getenv(name) == null) {
      libc.setenv(name, value, 0);
    }
    return value.equals(libc.getenv(name));
  }

  private static LibC libc() {
    if (!Platform.isLinux()) {
      return null;
    }
    try {
      return Native.load("c", LibC.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null;
    }
  }
}
