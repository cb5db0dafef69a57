package dev.conveyor.localstack.feed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * Serves {@link DemoWorld} over HTTP as a daily feed the ingest service pulls through its real HTTP
 * source. The current day lives in {@code <dir>/day}, so a restart keeps it.
 *
 * <ul>
 *   <li>{@code GET /feed/qa.jsonl?since=<cursor>}: JSON Lines {@code {"question","answer","day"}}
 *       of days after the cursor up to today; {@code X-Feed-Cursor} carries the new cursor, {@code
 *       ETag}/{@code If-None-Match} answer 304 when nothing changed; gzip on request.
 *   <li>{@code GET /feed/qa?day=N}: one day's pairs (N from 1 to today).
 *   <li>{@code GET /feed/state}: {@code {"day":N,"seed":S}}.
 *   <li>{@code POST /feed/next-day}: advances today by one and returns the state.
 * </ul>
 */
public final class DemoFeedServer implements AutoCloseable {
  /** The response header carrying the cursor to send back as {@code since}. */
  public static final String CURSOR_HEADER = "X-Feed-Cursor";

  /** Preferred port for the local run. */
  public static final int DEFAULT_PORT = 9600;

  private final Path dir;
  private final int port;
  private final DemoWorld world;
  private HttpServer server;
  private java.util.concurrent.ExecutorService pool;
  private int day;

  public DemoFeedServer(Path dir, int port, DemoWorld world) {
    this.dir = dir;
    this.port = port;
    this.world = world;
  }

  /** Binds to loopback and loads the current day (1 on a fresh directory). */
  public synchronized void start() throws IOException {
    Files.createDirectories(dir);
    Path state = dir.resolve("day");
    day = Files.exists(state) ? Integer.parseInt(Files.readString(state).trim()) : 1;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/feed/", this::handle);
    pool = Executors.newFixedThreadPool(2, DemoFeedServer::daemon);
    server.setExecutor(pool);
    server.start();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "demo-feed");
    t.setDaemon(true);
    return t;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public synchronized int day() {
    return day;
  }

  /** Advances the feed by one day and persists it; returns the new day. */
  public synchronized int nextDay() throws IOException {
    Path tmp = dir.resolve("day.tmp");
    Files.writeString(tmp, Integer.toString(day + 1));
    Files.move(
        tmp,
        dir.resolve("day"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return ++day;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/feed/qa.jsonl") && method.equals("GET")) {
        feed(ex);
      } else if (path.equals("/feed/qa") && method.equals("GET")) {
        oneDay(ex);
      } else if (path.equals("/feed/state") && method.equals("GET")) {
        send(ex, 200, "application/json", state());
      } else if (path.equals("/feed/next-day") && method.equals("POST")) {
        nextDay();
        send(ex, 200, "application/json", state());
      } else {
        problem(ex, 404, "no such feed endpoint: " + method + " " + path);
      }
    } catch (RuntimeException e) {
      problem(ex, 500, String.valueOf(e.getMessage()));
    }
  }

  private String state() {
    return "{\"day\":" + day() + ",\"seed\":" + world.seed() + "}";
  }

  private void feed(HttpExchange ex) throws IOException {
    String since = query(ex.getRequestURI(), "since");
    int from;
    try {
      from = since == null || since.isEmpty() ? 0 : Integer.parseInt(since);
    } catch (NumberFormatException e) {
      problem(ex, 400, "since must be a day number: " + since);
      return;
    }
    int today = day();
    String etag = "\"qa-" + from + "-" + today + "\"";
    ex.getResponseHeaders().set("ETag", etag);
    ex.getResponseHeaders().set(CURSOR_HEADER, Integer.toString(Math.max(from, today)));
    if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
      ex.sendResponseHeaders(304, -1);
      return;
    }
    sendLines(ex, world.days(from + 1, today));
  }

  private void oneDay(HttpExchange ex) throws IOException {
    String d = query(ex.getRequestURI(), "day");
    int n;
    try {
      n = Integer.parseInt(d);
    } catch (NumberFormatException e) {
      problem(ex, 400, "day must be a number: " + d);
      return;
    }
    if (n < 1 || n > day()) {
      problem(ex, 404, "day " + n + " is not published yet (today is day " + day() + ")");
      return;
    }
    sendLines(ex, world.day(n));
  }

  private static void sendLines(HttpExchange ex, List<DemoWorld.Pair> pairs) throws IOException {
    StringBuilder sb = new StringBuilder(pairs.size() * 120);
    for (DemoWorld.Pair p : pairs) {
      sb.append("{\"question\":")
          .append(quote(p.question()))
          .append(",\"answer\":")
          .append(quote(p.answer()))
          .append(",\"day\":")
          .append(p.day())
          .append("}\n");
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
    if (accept != null && accept.contains("gzip")) {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(body);
      }
      body = gz.toByteArray();
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    send(ex, 200, "application/x-ndjson; charset=utf-8", body);
  }

  private static String quote(String s) {
    // the world only produces printable ASCII; quotes and backslashes are all that need escaping
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String query(URI uri, String name) {
    String q = uri.getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      if (k.equals(name)) {
        return eq < 0
            ? ""
            : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void problem(HttpExchange ex, int status, String detail) throws IOException {
    String body =
        "{\"type\":\"about:blank\",\"status\":" + status + ",\"detail\":" + quote(detail) + "}";
    send(ex, status, "application/problem+json", body);
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    if (pool != null) {
      pool.shutdownNow();
      pool = null;
    }
  }
}
