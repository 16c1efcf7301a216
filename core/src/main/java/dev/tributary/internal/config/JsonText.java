package dev.tributary.internal.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON values a configuration file may hold, through jackson-core. Stateless. */
final class JsonText {

  private static final JsonFactory JSON = new JsonFactory();

  private JsonText() {}

  /** A JSON array of strings, such as {@code ["password", "token"]}. */
  static List<String> stringArray(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("not an array");
      }
      List<String> out = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.VALUE_STRING) {
          throw new IllegalArgumentException("element " + (out.size() + 1) + " is not a string");
        }
        out.add(p.getText());
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("text after the array");
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
  }
}
