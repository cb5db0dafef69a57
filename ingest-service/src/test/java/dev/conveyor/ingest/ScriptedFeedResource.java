package dev.conveyor.ingest;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real HTTP server whose next responses a test scripts over HTTP ({@code POST
 * /enqueue?status=..&type=..} with the body), for feeds that misbehave: HTML error pages, binary,
 * truncated gzip, 503s. {@code GET /data.jsonl} answers with the next scripted response, or 503.
 */
public class ScriptedFeedResource implements QuarkusTestResourceLifecycleManager {
  private HttpServer server;
  private final ConcurrentLinkedQueue<Object[]> script = new ConcurrentLinkedQueue<>();

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/enqueue",
        ex -> {
          try (ex) {
            String q = ex.getRequestURI().getQuery();
            int status = 200;
            String type = "application/x-ndjson";
            for (String kv : q == null ? new String[0] : q.split("&")) {
              String[] p = kv.split("=", 2);
              if (p[0].equals("status")) {
                status = Integer.parseInt(p[1]);
              } else if (p[0].equals("type")) {
                type = java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8);
              }
            }
            script.add(new Object[] {status, type, ex.getRequestBody().readAllBytes()});
            ex.sendResponseHeaders(204, -1);
          }
        });
    server.createContext(
        "/data.jsonl",
        ex -> {
          try (ex) {
            Object[] next = script.poll();
            int status = next == null ? 503 : (Integer) next[0];
            byte[] body = next == null ? "no response scripted".getBytes() : (byte[]) next[2];
            ex.getResponseHeaders()
                .set("Content-Type", next == null ? "text/plain" : (String) next[1]);
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
              }
            }
          }
        });
    server.start();
    return Map.of("test.scripted-feed.url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
