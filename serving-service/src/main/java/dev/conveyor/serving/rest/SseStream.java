package dev.conveyor.serving.rest;

import dev.conveyor.serving.service.GenerationResult;
import dev.conveyor.serving.service.GenerationTask;
import dev.conveyor.serving.service.ServingException;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Server-Sent Events for one request: text deltas are handed over from the batch thread through a
 * queue and written (and flushed) by the response's worker thread as they arrive. A client that
 * hangs up is noticed within {@link #CHECK} (a write to a closed connection does not fail here):
 * its task is cancelled, so the batch thread drops its row.
 */
final class SseStream implements StreamingOutput {

  /** How the events of one API look on the wire. */
  interface Format {
    String token(String delta);

    String done(GenerationResult result);

    String error(ServingException e);

    /** A trailer after the last event (e.g. OpenAI's {@code [DONE]}), or null. */
    default String end() {
      return null;
    }
  }

  private static final Object END = new Object();
  private static final long CHECK = TimeUnit.MILLISECONDS.toNanos(100);

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Format format;
  private final Duration timeout;
  private GenerationTask task;
  private BooleanSupplier clientGone = () -> false;

  SseStream(Format format, Duration timeout) {
    this.format = format;
    this.timeout = timeout;
  }

  /** Where the batch thread puts text deltas. */
  Consumer<String> tokens() {
    return events::add;
  }

  /** Binds the admitted task: its completion ends the stream, {@code clientGone} cancels it. */
  SseStream bind(GenerationTask task, BooleanSupplier clientGone) {
    this.task = task;
    this.clientGone = clientGone;
    task.result().whenComplete((r, e) -> events.add(r != null ? r : e));
    return this;
  }

  @Override
  public void write(OutputStream out) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        Object ev = left > 0 ? events.poll(Math.min(left, CHECK), TimeUnit.NANOSECONDS) : null;
        if (clientGone.getAsBoolean()) {
          task.result().cancel(false); // the client hung up: stop decoding for it
          return;
        }
        if (ev == null && left > CHECK) {
          continue;
        }
        if (ev == null) {
          long ms = timeout.toMillis();
          task.result().completeExceptionally(ServingException.timeout(ms));
          send(out, format.error(ServingException.timeout(ms)));
          break;
        }
        if (ev == END) {
          break;
        }
        if (ev instanceof String delta) {
          send(out, format.token(delta));
        } else if (ev instanceof GenerationResult r) {
          send(out, format.done(r));
          break;
        } else if (ev instanceof Throwable t) {
          send(out, format.error(asServing(t)));
          break;
        }
      }
      String end = format.end();
      if (end != null) {
        send(out, end);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      task.result().cancel(false); // the client left: a request still queued is skipped
      throw e;
    }
  }

  private static ServingException asServing(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof ServingException s) {
      return s;
    }
    return new ServingException(500, "Generation failed", String.valueOf(c.getMessage()));
  }

  private static void send(OutputStream out, String event) throws IOException {
    out.write(event.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
