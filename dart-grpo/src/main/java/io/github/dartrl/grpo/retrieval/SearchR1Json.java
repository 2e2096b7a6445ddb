package io.github.dartrl.grpo.retrieval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON of Search-R1's {@code POST /retrieve} API, shared by {@link SearchR1HttpRetriever} and
 * {@link RetrieverServer}.
 *
 * <pre>
 * request:  {"queries": ["q1", ...], "topk": 3, "return_scores": true}
 * response: {"result": [[{"document": {"id": "7", "contents": "\"Title\"\ntext"}, "score": 1.5}, ...], ...]}
 *           {"result": [[{"id": "7", "contents": "\"Title\"\ntext"}, ...], ...]}   (return_scores false)
 * error:    {"error": "message"}
 * </pre>
 *
 * <p>Decoding is lenient where Search-R1's own servers differ: {@code id} and {@code score} may be
 * absent, a document may carry {@code title}/{@code text} instead of {@code contents}, and each hit
 * may be wrapped in {@code document} or not. Encoding omits an empty id and a NaN score.
 */
final class SearchR1Json {

  /**
   * A validated request.
   *
   * @param queries the queries
   * @param topK the requested k, or null for the server default (absent or null; 0 is refused,
   *     although Search-R1's server reads a falsy {@code topk} as its default, because a client
   *     asking for 0 passages and getting 3 is a silent surprise)
   * @param returnScores whether to wrap hits as {@code {"document", "score"}}
   */
  record Request(List<String> queries, Integer topK, boolean returnScores) {}

  /**
   * Longest string in a request or response, in characters: a query or passage is text for a search
   * engine, so 1 MiB is generous, and a body of huge strings is refused with 400 before any search.
   */
  static final int MAX_STRING_CHARS = 1 << 20;

  // Bodies come from the network: bounded nesting, string and number lengths (see UntrustedJson).
  private static final ObjectMapper MAPPER =
      UntrustedJson.newMapper(UntrustedJson.constraints(MAX_STRING_CHARS));
  private static final ObjectReader READER =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private SearchR1Json() {}

  static byte[] encodeRequest(List<String> queries, int topK, boolean returnScores) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("queries");
          for (String q : queries) {
            g.writeString(q);
          }
          g.writeEndArray();
          g.writeNumberField("topk", topK);
          g.writeBooleanField("return_scores", returnScores);
          g.writeEndObject();
        });
  }

  /**
   * Parses and validates a request body.
   *
   * @throws IllegalArgumentException with a message fit to send back to the client
   */
  static Request decodeRequest(byte[] body, int maxQueries, int maxTopK) {
    JsonNode root;
    try {
      root = READER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable request body");
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("empty request body; expected a JSON object");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "request body must be a JSON object, got " + describe(root));
    }
    JsonNode queries = root.get("queries");
    if (queries == null || queries.isNull()) {
      throw new IllegalArgumentException("missing \"queries\" (a list of strings)");
    }
    if (!queries.isArray()) {
      throw new IllegalArgumentException(
          "\"queries\" must be a list of strings, got " + describe(queries));
    }
    if (queries.size() > maxQueries) {
      throw new IllegalArgumentException(
          "too many queries: " + queries.size() + " (at most " + maxQueries + " per request)");
    }
    List<String> list = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      JsonNode q = queries.get(i);
      if (!q.isTextual()) {
        throw new IllegalArgumentException(
            "\"queries\"[" + i + "] must be a string, got " + describe(q));
      }
      list.add(q.textValue());
    }
    return new Request(list, topK(root.get("topk"), maxTopK), returnScores(root));
  }

  private static Integer topK(JsonNode node, int maxTopK) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber()) {
      throw new IllegalArgumentException("\"topk\" must be an integer, got " + describe(node));
    }
    if (!node.canConvertToInt() || node.intValue() < 1 || node.intValue() > maxTopK) {
      throw new IllegalArgumentException(
          "\"topk\" must be between 1 and " + maxTopK + ", got " + node.asText());
    }
    return node.intValue();
  }

  private static boolean returnScores(JsonNode root) {
    JsonNode node = root.get("return_scores");
    if (node == null || node.isNull()) {
      return false; // Search-R1's pydantic default
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(
          "\"return_scores\" must be true or false, got " + describe(node));
    }
    return node.booleanValue();
  }

  static byte[] encodeResponse(List<List<Passage>> result, boolean returnScores) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("result");
          for (List<Passage> hits : result) {
            g.writeStartArray();
            for (Passage p : hits) {
              if (returnScores) {
                g.writeStartObject();
                g.writeFieldName("document");
                writeDocument(g, p);
                if (p.hasScore()) {
                  g.writeNumberField("score", p.score());
                }
                g.writeEndObject();
              } else {
                writeDocument(g, p);
              }
            }
            g.writeEndArray();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static void writeDocument(JsonGenerator g, Passage p) throws IOException {
    g.writeStartObject();
    if (!p.id().isEmpty()) {
      g.writeStringField("id", p.id());
    }
    g.writeStringField("contents", p.contents());
    g.writeEndObject();
  }

  /**
   * Parses a response body.
   *
   * @throws IllegalArgumentException describing what is wrong with it
   */
  static List<List<Passage>> decodeResponse(byte[] body, int expectedQueries) {
    JsonNode root;
    try {
      root = READER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("response is not JSON: " + originalMessage(e));
    }
    JsonNode result = root == null ? null : root.get("result");
    if (result == null || !result.isArray()) {
      throw new IllegalArgumentException("response has no \"result\" list");
    }
    if (result.size() != expectedQueries) {
      throw new IllegalArgumentException(
          "response has " + result.size() + " result lists for " + expectedQueries + " queries");
    }
    List<List<Passage>> out = new ArrayList<>(expectedQueries);
    for (int q = 0; q < result.size(); q++) {
      JsonNode hits = result.get(q);
      if (!hits.isArray()) {
        throw new IllegalArgumentException("\"result\"[" + q + "] is not a list");
      }
      List<Passage> passages = new ArrayList<>(hits.size());
      for (int k = 0; k < hits.size(); k++) {
        passages.add(decodeHit(hits.get(k), q, k));
      }
      out.add(List.copyOf(passages));
    }
    return out;
  }

  private static Passage decodeHit(JsonNode hit, int q, int k) {
    if (!hit.isObject()) {
      throw new IllegalArgumentException(
          "\"result\"[" + q + "][" + k + "] is not an object: " + describe(hit));
    }
    JsonNode doc = hit.path("document").isObject() ? hit.get("document") : hit;
    JsonNode scoreNode = hit.get("score");
    double score = scoreNode != null && scoreNode.isNumber() ? scoreNode.doubleValue() : Double.NaN;
    JsonNode idNode = doc.get("id");
    String id = idNode != null && (idNode.isTextual() || idNode.isNumber()) ? idNode.asText() : "";
    if (doc.path("contents").isTextual()) {
      return Passage.fromContents(id, doc.get("contents").textValue(), score);
    }
    if (doc.path("text").isTextual()) {
      return new Passage(id, doc.path("title").asText(""), doc.get("text").textValue(), score);
    }
    throw new IllegalArgumentException(
        "\"result\"[" + q + "][" + k + "] has neither \"contents\" nor \"text\"");
  }

  static byte[] error(String message) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("error", message);
          g.writeEndObject();
        });
  }

  /** The {@code "error"} of an error body, or a short prefix of the body when it has none. */
  static String errorMessage(byte[] body) {
    try {
      JsonNode root = READER.readTree(body);
      if (root != null && root.path("error").isTextual()) {
        return root.get("error").textValue();
      }
      if (root != null && root.has("detail")) {
        return root.get("detail").toString(); // FastAPI's validation errors
      }
    } catch (IOException | RuntimeException e) {
      // not JSON; show the raw text
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private static String originalMessage(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
