package dev.conveyor.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The examples in events/README.md are the encoded {@link EventExamples}. Regenerate with {@code
 * ./mvnw -pl events test -Dconveyor.write-readme=true}.
 */
class ReadmeExamplesTest {
  private static final String START = "<!-- examples:start -->\n";
  private static final String END = "<!-- examples:end -->";

  @Test
  void readmeShowsTheRealEncoding() throws Exception {
    StringBuilder block = new StringBuilder();
    for (EventData data : EventExamples.all()) {
      block
          .append('`')
          .append(EventTypes.of(data.getClass()).topic())
          .append("` (key `")
          .append(data.key())
          .append("`):\n```json\n")
          .append(EventCodec.encode(data))
          .append("\n```\n");
    }
    Path readme = Path.of("README.md");
    String text = Files.readString(readme);
    int from = text.indexOf(START) + START.length();
    int to = text.indexOf(END);
    if (Boolean.getBoolean("conveyor.write-readme")) {
      text = text.substring(0, from) + block + text.substring(to);
      Files.writeString(readme, text);
    }
    assertEquals(block.toString(), text.substring(from, to));
  }
}
