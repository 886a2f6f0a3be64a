package dev.otklik.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates a file's tree against one of the JSON Schemas bundled from tenant-config/schema
 * (draft 2020-12, vertx-json-schema) and turns the validator's output into problems a vendor can
 * act on: the JSON pointer of the offending value and what was expected there.
 */
final class SchemaCheck {

  static final String TENANT_SCHEMA = "tenant.schema.json";
  static final String CALENDAR_SCHEMA = "calendar.schema.json";

  private static final Pattern REQUIRED = Pattern.compile("required property \"(.+)\"");

  private final JsonObject schema;
  private final Validator validator;

  private SchemaCheck(JsonObject schema) {
    this.schema = schema;
    JsonSchemaOptions options = new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012)
        .setBaseUri("https://otklik.dev/schema/")
        .setOutputFormat(OutputFormat.Basic);
    SchemaRepository repository = SchemaRepository.create(options);
    repository.dereference(JsonSchema.of(schema));
    this.validator = repository.validator(schema.getString("$id"));
  }

  /** The check for a schema file bundled in this module ({@link #TENANT_SCHEMA}, ...). */
  static SchemaCheck bundled(String schemaFile) {
    String resource = "schema/" + schemaFile;
    try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + resource + " is not on the class path");
      }
      return new SchemaCheck(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records every schema violation of {@code tree}; true when there was none. */
  boolean check(JsonNode tree, Problems problems) {
    OutputUnit result = validator.validate(new JsonObject(tree.toString()));
    if (Boolean.TRUE.equals(result.getValid())) {
      return true;
    }
    List<OutputUnit> errors = result.getErrors() == null || result.getErrors().isEmpty()
        ? List.of(result)
        : result.getErrors();
    Set<String> reported = new LinkedHashSet<>();
    for (OutputUnit error : errors) {
      if (isRoot(error, errors)) {
        Problem problem = explain(error, tree);
        if (reported.add(problem.path + "\n" + problem.reason)) {
          problems.add(problem.path, problem.reason);
        }
      }
    }
    return false;
  }

  // The validator reports a chain per failure (properties > $ref > pattern) and, for a property
  // whose value failed, an extra "additional property" error; only the innermost error of the
  // chain is the vendor's mistake.
  private static boolean isRoot(OutputUnit error, List<OutputUnit> all) {
    String keyword = error.getKeywordLocation();
    String instance = error.getInstanceLocation();
    return all.stream().filter(other -> other != error).noneMatch(other ->
        other.getKeywordLocation().startsWith(keyword + "/")
            || (keyword.endsWith("/additionalProperties") && isAtOrBelow(other.getInstanceLocation(), instance)));
  }

  private static boolean isAtOrBelow(String location, String ancestor) {
    return location.equals(ancestor) || location.startsWith(ancestor + "/");
  }

  private record Problem(String path, String reason) {}

  private Problem explain(OutputUnit error, JsonNode tree) {
    String path = pointerOf(error.getInstanceLocation());
    String keywordPath = keywordPointer(error);
    String keyword = keywordPath.substring(keywordPath.lastIndexOf('/') + 1);
    JsonObject subschema = schemaAt(keywordPath.substring(0, keywordPath.lastIndexOf('/')));
    String value = ConfigNode.describe(tree.at(path));
    return switch (keyword) {
      case "required" -> missing(path, error.getError());
      case "additionalProperties" -> new Problem(path, "unknown key \"" + lastSegment(path)
          + "\"; allowed here: " + String.join(", ", subschema.getJsonObject("properties", new JsonObject()).fieldNames()));
      case "pattern" -> error.getKeywordLocation().contains("/propertyNames/")
          ? new Problem(path, "key \"" + lastSegment(path) + "\" is not " + describe(subschema))
          : new Problem(path, value + " is not " + describe(subschema));
      case "enum" -> new Problem(path, value + " is not one of: " + joined(subschema.getJsonArray("enum")));
      case "type" -> new Problem(path, "expected " + subschema.getValue("type") + ", got " + value
          + (tree.at(path).isNumber() && "string".equals(subschema.getValue("type")) ? " (quote the value in YAML)" : ""));
      default -> new Problem(path, error.getError() + (subschema.containsKey("description") ? " (" + describe(subschema) + ")" : ""));
    };
  }

  private static Problem missing(String path, String error) {
    Matcher property = REQUIRED.matcher(error);
    return property.find()
        ? new Problem(Pointer.child(path, property.group(1)), "is required but missing")
        : new Problem(path, error);
  }

  private static String describe(JsonObject subschema) {
    return subschema.getString("description", "in the expected format (pattern " + subschema.getString("pattern") + ")");
  }

  private static String joined(JsonArray values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static String lastSegment(String pointer) {
    return pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
  }

  /** The validator writes locations as URI fragments ({@code #/sla/cells}). */
  private static String pointerOf(String location) {
    return location.startsWith("#") ? location.substring(1) : location;
  }

  private static String keywordPointer(OutputUnit error) {
    String absolute = error.getAbsoluteKeywordLocation();
    return pointerOf(absolute.substring(absolute.indexOf('#')));
  }

  private JsonObject schemaAt(String pointer) {
    Object node = schema;
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      node = node instanceof JsonObject object ? object.getValue(segment)
          : node instanceof JsonArray array ? array.getValue(Integer.parseInt(segment))
          : null;
    }
    return node instanceof JsonObject object ? object : new JsonObject();
  }
}
