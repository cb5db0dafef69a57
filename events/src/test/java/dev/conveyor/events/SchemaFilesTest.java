package dev.conveyor.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas shipped in resources must describe the records exactly. Regenerate them with
 * {@code ./mvnw -pl events test -Dconveyor.write-schemas=true}.
 */
class SchemaFilesTest {
  private static final Path DIR = Path.of("src/main/resources/schemas");

  @Test
  void shippedSchemasMatchTheRecords() throws Exception {
    var writer = EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writer();
    for (EventType<?> type : EventTypes.ALL) {
      String expected = writer.writeValueAsString(RecordSchema.jsonSchema(type)) + "\n";
      Path file = DIR.resolve(type.topic() + ".schema.json");
      if (Boolean.getBoolean("conveyor.write-schemas")) {
        Files.writeString(file, expected);
      }
      assertTrue(
          Files.exists(file), "missing " + file + " (run with -Dconveyor.write-schemas=true)");
      assertEquals(expected, Files.readString(file), file + " is stale");
    }
  }

  @Test
  void schemaListsRequiredFieldsAndEnums() {
    var schema = RecordSchema.jsonSchema(EventTypes.TRAIN_REQUESTED);
    assertEquals(
        List.of("requestId", "model", "dataset", "baseModel", "config", "reason", "requestedBy"),
        EventCodec.mapper().convertValue(schema.get("required"), List.class));
    assertEquals(6, schema.at("/properties/reason/enum").size());
  }
}
