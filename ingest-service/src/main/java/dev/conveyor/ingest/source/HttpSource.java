package dev.conveyor.ingest.source;

import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.repository.SourceState;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * An HTTP feed of JSON Lines or text. Sends the stored cursor as a query parameter and the stored
 * ETag as {@code If-None-Match}, so nothing is fetched twice; keeps the cursor the server returns
 * in its cursor header (a feed without one is still safe: de-duplication drops what was seen).
 */
public final class HttpSource implements Source {
  private final String name;
  private final URI url;
  private final String dataset;
  private final String format;
  private final String cursorParam;
  private final String cursorHeader;
  private final Duration timeout;
  private final HttpClient client;

  public HttpSource(
      String name,
      URI url,
      String dataset,
      String format,
      String cursorParam,
      String cursorHeader,
      Duration timeout) {
    this.name = name;
    this.url = url;
    this.dataset = dataset;
    this.format = format;
    this.cursorParam = cursorParam;
    this.cursorHeader = cursorHeader;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public Pull fetch(SourceState state) throws IOException, InterruptedException {
    URI target = url;
    if (state.cursor() != null && !cursorParam.isBlank()) {
      String sep = url.getRawQuery() == null ? "?" : "&";
      target =
          URI.create(
              url
                  + sep
                  + cursorParam
                  + "="
                  + URLEncoder.encode(state.cursor(), StandardCharsets.UTF_8));
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(target).timeout(timeout).header("Accept-Encoding", "gzip").GET();
    if (state.etag() != null) {
      req.header("If-None-Match", state.etag());
    }
    HttpResponse<byte[]> res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() == 304) {
      return Pull.notModified(state.cursor(), state.etag());
    }
    if (res.statusCode() != 200) {
      throw new IOException("HTTP " + res.statusCode() + " from " + target);
    }
    String cursor = res.headers().firstValue(cursorHeader).orElse(state.cursor());
    String etag = res.headers().firstValue("ETag").orElse(null);
    String type = res.headers().firstValue("Content-Type").orElse(null);
    // a gzip Content-Encoding is unwrapped by the parser (magic bytes), like a .gz file
    Payload payload = new Payload(target.toString(), res.body(), type);
    return new Pull(List.of(payload), cursor, etag, false, () -> {});
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "http";
  }

  @Override
  public String location() {
    return url.toString();
  }

  @Override
  public String dataset() {
    return dataset;
  }

  @Override
  public String format() {
    return format;
  }
}
