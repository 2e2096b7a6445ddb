package io.github.dartrl.grpo.distributed;

import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Trajectories as bytes between executors and the driver: every component, token ids as ints (ids
 * fit 32 bits), roles as bytes, sampled log-probs as floats (~9 bytes per token plus text).
 */
final class TrajectoryCodec {
  private TrajectoryCodec() {}

  static byte[] encode(Trajectory t) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + t.tokens().length * 9);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(t.taskIndex());
      out.writeInt(t.group());
      out.writeInt(t.tokens().length);
      for (long id : t.tokens()) {
        out.writeInt(Math.toIntExact(id));
      }
      for (int r : t.roles()) {
        out.writeByte(r);
      }
      for (float lp : t.logProbs()) {
        out.writeFloat(lp);
      }
      out.writeInt(t.promptLength());
      writeString(out, t.responseText());
      out.writeInt(t.turns());
      out.writeInt(t.queries().size());
      for (String q : t.queries()) {
        writeString(out, q);
      }
      out.writeInt(t.passages().size());
      for (List<Passage> ps : t.passages()) {
        out.writeInt(ps.size());
        for (Passage p : ps) {
          writeString(out, p.id());
          writeString(out, p.title());
          writeString(out, p.text());
          out.writeDouble(p.score());
        }
      }
      out.writeInt(t.validActions());
      out.writeInt(t.invalidActions());
      out.writeByte(t.end().ordinal());
      out.writeBoolean(t.truncated());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Trajectory decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int task = in.readInt();
      int group = in.readInt();
      int n = in.readInt();
      long[] tokens = new long[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = in.readInt();
      }
      int[] roles = new int[n];
      for (int i = 0; i < n; i++) {
        roles[i] = in.readByte();
      }
      float[] lps = new float[n];
      for (int i = 0; i < n; i++) {
        lps[i] = in.readFloat();
      }
      int promptLength = in.readInt();
      String text = readString(in);
      int turns = in.readInt();
      List<String> queries = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        queries.add(readString(in));
      }
      List<List<Passage>> passages = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        List<Passage> ps = new ArrayList<>();
        for (int j = in.readInt(); j > 0; j--) {
          ps.add(new Passage(readString(in), readString(in), readString(in), in.readDouble()));
        }
        passages.add(List.copyOf(ps));
      }
      int valid = in.readInt();
      int invalid = in.readInt();
      Trajectory.End end = Trajectory.End.values()[in.readByte()];
      boolean truncated = in.readBoolean();
      return new Trajectory(
          task,
          group,
          tokens,
          roles,
          lps,
          promptLength,
          text,
          turns,
          List.copyOf(queries),
          List.copyOf(passages),
          valid,
          invalid,
          end,
          truncated);
    } catch (IOException e) {
      throw new UncheckedIOException("a trajectory's bytes are malformed", e);
    }
  }

  // writeUTF stops at 64 KiB; a passage or a long response may not
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
