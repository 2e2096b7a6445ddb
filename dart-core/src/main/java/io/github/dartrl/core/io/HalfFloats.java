package io.github.dartrl.core.io;

/**
 * Bit-exact conversions between float32 and the 16-bit float formats, done in Java because BF16
 * must never reach DJL's PyTorch engine (it aborts the JVM) and Java 17 has no {@code
 * Float.float16ToFloat}.
 *
 * <p>Narrowing rounds to nearest, ties to even, like {@code torch.Tensor.to(torch.bfloat16)} and
 * {@code .half()}; NaN stays NaN, overflow becomes infinity.
 */
final class HalfFloats {
  private HalfFloats() {}

  /** Widens bfloat16 bits (the top half of a float32) to float32; exact. */
  static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** Narrows float32 to bfloat16 bits, rounding to nearest even. */
  static short floatToBf16(float f) {
    int x = Float.floatToRawIntBits(f);
    if ((x & 0x7FFFFFFF) > 0x7F800000) {
      // NaN: truncating could clear every mantissa bit and yield infinity, so force a quiet bit.
      return (short) ((x >>> 16) | 0x0040);
    }
    // Adding 0x7FFF plus the lowest kept bit rounds the dropped half up exactly when it is above
    // the midpoint, or at the midpoint with an odd kept part. The carry may roll into the exponent,
    // which is the correct result (up to infinity).
    int lsb = (x >>> 16) & 1;
    return (short) ((x + 0x7FFF + lsb) >>> 16);
  }

  /** Widens IEEE binary16 bits to float32; exact, including subnormals, infinities and NaN. */
  static float f16ToFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero): mant × 2^-24, exact in float32
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13)); // rebias 15 -> 127
  }

  /** Narrows float32 to IEEE binary16 bits, rounding to nearest even. */
  static short floatToF16(float f) {
    int x = Float.floatToRawIntBits(f);
    int sign = (x >>> 16) & 0x8000;
    int exp = (x >>> 23) & 0xFF;
    int mant = x & 0x7FFFFF;
    if (exp == 0xFF) {
      return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign; // below half the smallest subnormal: rounds to (signed) zero
      }
      // Subnormal result: shift the full 24-bit significand so one unit is 2^-24.
      return (short) (sign | roundShift(mant | 0x800000, 14 - e));
    }
    // Normal: the carry of rounding may overflow into the exponent, giving the next binade or
    // infinity, both correct encodings.
    return (short) (sign | roundShift((e << 23) | mant, 13));
  }

  /** {@code value >> shift}, rounded to nearest even. */
  private static int roundShift(int value, int shift) {
    int kept = value >>> shift;
    int rem = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rem > half || (rem == half && (kept & 1) != 0)) {
      kept++;
    }
    return kept;
  }
}
