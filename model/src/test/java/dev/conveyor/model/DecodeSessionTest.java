package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.DecodeSession;
import dev.conveyor.model.generate.FinishReason;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.model.generate.TokenListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Continuous batching: rows join and leave a running batch and still get their own tokens. */
class DecodeSessionTest {

  static LanguageModel model;

  @BeforeAll
  static void load() throws Exception {
    model = LanguageModel.load(TinyTask.trainedArtifact());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static GenerationOptions options(int i) {
    // some rows greedy, some sampled; some run to the 32-token context, past the buffer's end
    GenerationOptions o =
        i % 3 == 0
            ? GenerationOptions.greedy(4 + 5 * i)
            : GenerationOptions.sampling(4 + 5 * i, 1.2, i % 2 == 0 ? 0 : 7, 0.9, 50 + i);
    return o.withStopAtEndOfText(i % 4 != 1);
  }

  @Test
  void rowsJoiningAndLeavingARunningBatchGetTheTokensTheyWouldGetAlone() {
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      prompts.add(String.valueOf(100000 + 977L * i * i).substring(0, 1 + i % 6));
    }
    Map<Integer, Completion> done = new HashMap<>();
    Map<Integer, StringBuilder> streamed = new HashMap<>();
    Map<Integer, Integer> indexOf = new HashMap<>();
    int steps = 0;
    int compactions;
    // two initial slots: the session must grow; 12 requests join two per step, at staggered times,
    // over more steps than the buffer has columns, so the live columns get moved to the front
    try (DecodeSession s = model.newSession(2)) {
      int next = 0;
      while (next < prompts.size() || !s.isEmpty()) {
        if (next < prompts.size() && steps % 3 == 0) {
          for (int k = 0; k < 2 && next < prompts.size(); k++, next++) {
            int row = s.add(model.encodePrompt(prompts.get(next)), options(next), true);
            indexOf.put(row, next);
            streamed.put(next, new StringBuilder());
          }
        }
        for (DecodeSession.Token t : s.step()) {
          int i = indexOf.get(t.row());
          streamed.get(i).append(t.textDelta());
          if (t.finished()) {
            assertNull(done.put(i, t.completion()), "finished once");
          }
        }
        steps++;
      }
      assertTrue(s.step().isEmpty());
      compactions = s.compactions();
    }
    assertEquals(prompts.size(), done.size());
    assertTrue(compactions > 0, "the live columns were moved: " + steps + " steps");
    for (int i = 0; i < prompts.size(); i++) {
      Completion alone =
          model.complete(List.of(prompts.get(i)), List.of(options(i)), TokenListener.none()).get(0);
      Completion c = done.get(i);
      assertEquals(alone.tokenIds(), c.tokenIds(), "prompt " + i);
      assertEquals(alone.text(), c.text());
      assertEquals(alone.finishReason(), c.finishReason());
      assertEquals(c.text(), streamed.get(i).toString(), "deltas concatenate to the text");
    }
  }

  @Test
  void cancelledRowsLeaveAtOnce() {
    GenerationOptions long1 = GenerationOptions.greedy(20).withStopAtEndOfText(false);
    try (DecodeSession s = model.newSession(4)) {
      int a = s.add(model.encodePrompt("1234"), long1, false);
      int b = s.add(model.encodePrompt("5678"), long1, false);
      int c = s.add(model.encodePrompt("9"), long1, false); // cancelled before it ever runs
      assertEquals(FinishReason.CANCELLED, s.cancel(c).finishReason());
      s.step();
      s.step();
      Completion cancelled = s.cancel(a);
      assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
      assertEquals(2, cancelled.completionTokens());
      assertNull(s.cancel(a), "already gone");
      assertEquals(1, s.size());
      List<DecodeSession.Token> out = s.step();
      assertEquals(1, out.size());
      assertEquals(b, out.get(0).row());
    }
    // the batch API polls the listener: a cancelled prompt stops, the others do not
    List<Completion> res =
        model.complete(
            List.of("1234", "5678"),
            long1,
            new TokenListener() {
              int seen;

              @Override
              public void onToken(int index, int tokenId, String textDelta) {
                seen++;
              }

              @Override
              public boolean isCancelled(int index) {
                return index == 1 && seen >= 6;
              }
            });
    assertEquals(20, res.get(0).completionTokens());
    assertEquals(FinishReason.CANCELLED, res.get(1).finishReason());
    assertEquals(3, res.get(1).completionTokens());
  }

  @Test
  void aClosedModelRefusesSteps() throws Exception {
    LanguageModel m = LanguageModel.load(TinyTask.trainedArtifact());
    DecodeSession s = m.newSession(1);
    s.add(m.encodePrompt("12"), GenerationOptions.greedy(3), false);
    m.close();
    assertThrows(IllegalStateException.class, s::step);
    s.close();
  }
}
