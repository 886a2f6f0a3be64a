package dev.otklik.tenant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses a configuration file (YAML, or JSON for {@code *.json}) into a tree. Syntax errors,
 * duplicate keys, an empty file, several YAML documents or a top level that is not a mapping
 * are problems of the whole file.
 */
final class ConfigTreeReader {

  private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

  private final ObjectMapper yaml = strict(new ObjectMapper(new YAMLFactory()));
  private final ObjectMapper json = strict(new ObjectMapper(new JsonFactory()));

  /** The file's tree when it parses to a mapping; otherwise empty, with the problem recorded. */
  Optional<JsonNode> read(ConfigFile file, Problems problems) {
    ObjectMapper mapper = file.isJson() ? json : yaml;
    try (JsonParser parser = mapper.createParser(file.content())) {
      JsonNode tree = mapper.readTree(parser);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        problems.add("", "the file is empty");
      } else if (!tree.isObject()) {
        problems.add("", "the file must be a mapping of keys to values, not " + ConfigNode.describe(tree));
      } else if (parser.nextToken() != null) {
        problems.add("", "the file holds more than one document; keep one per file");
      } else {
        return Optional.of(tree);
      }
    } catch (JsonProcessingException e) {
      problems.add(pointerOf(e), e.getOriginalMessage().startsWith("Duplicate field")
          ? "the key appears twice" + (e.getLocation() == null ? "" : " (again at line " + e.getLocation().getLineNr() + ")")
          : syntaxError(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.empty();
  }

  /**
   * The tree of a file that already loaded, as JSON: what the API shows and the database
   * records of a tenant's config. Parsed from the same bytes that passed validation.
   */
  io.vertx.core.json.JsonObject source(ConfigFile file) {
    Problems problems = new Problems(file.name());
    JsonNode tree = read(file, problems).orElseThrow(() -> new IllegalStateException(
        file.name() + " no longer parses, though it loaded"));
    return new io.vertx.core.json.JsonObject(tree.toString());
  }

  private static ObjectMapper strict(ObjectMapper mapper) {
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  private static String pointerOf(JsonProcessingException e) {
    return e.getProcessor() instanceof JsonParser parser
        ? parser.getParsingContext().pathAsPointer().toString()
        : "";
  }

  // SnakeYAML's messages quote the offending lines with carets under them; keep the sentences
  // and the position where the problem was found (the last one the message names).
  private static String syntaxError(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    String sentences = message.lines()
        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
        .collect(Collectors.joining("; "));
    Matcher position = POSITION.matcher(message);
    String where = null;
    while (position.find()) {
      where = "line " + position.group(1) + ", column " + position.group(2);
    }
    if (where == null && e.getLocation() != null) {
      where = "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
    return "syntax error" + (where == null ? "" : " at " + where) + ": " + sentences;
  }
}
