package dev.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A conveyor sub-command as a child process: its lines, its exit, waits that end with it. */
class ConveyorProcessTest {

  @Test
  void readsTheLinesAndExitOfAChildCommandAndStopsWaitingWhenItEnds() throws Exception {
    ConveyorProcess feed = ConveyorProcess.start(Map.of(), "feed", "tomorrow");
    String line = feed.await(l -> l.contains("unknown action"), Duration.ofSeconds(60));
    assertEquals("conveyor feed: unknown action 'tomorrow' (known: next-day)", line);
    assertEquals(2, feed.exit(Duration.ofSeconds(60)), feed.toString());

    long t0 = System.nanoTime();
    IOException e =
        assertThrows(
            IOException.class, () -> feed.await(l -> l.equals("never"), Duration.ofMinutes(5)));
    assertTrue(e.getMessage().startsWith("ended (exit 2) before the line"), e.getMessage());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "no wait for the end");
  }
}
