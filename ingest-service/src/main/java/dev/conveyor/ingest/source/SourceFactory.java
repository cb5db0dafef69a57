package dev.conveyor.ingest.source;

import dev.conveyor.ingest.config.IngestConfig;
import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the configured sources and refuses bad configuration with a message that names the
 * setting: an unknown type or format, a missing URL/bucket/path, an unreachable bucket.
 */
public final class SourceFactory {
  static final String PREFIX = "conveyor.ingest.sources.";

  private SourceFactory() {}

  public static List<Source> build(IngestConfig config, MinioClient s3) {
    List<Source> sources = new ArrayList<>();
    for (Map.Entry<String, IngestConfig.SourceConfig> e :
        new TreeMap<>(config.sources()).entrySet()) {
      if (e.getValue().enabled()) {
        sources.add(build(e.getKey(), e.getValue(), s3));
      }
    }
    return List.copyOf(sources);
  }

  static Source build(String name, IngestConfig.SourceConfig c, MinioClient s3) {
    String key = PREFIX + name + ".";
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          key + "*: source name '" + name + "' must match [A-Za-z0-9][A-Za-z0-9._-]*");
    }
    if (!c.dataset().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          key + "dataset: '" + c.dataset() + "' must match [a-z0-9][a-z0-9._-]{0,63}");
    }
    if (!c.format().equals("qa") && !c.format().equals("text")) {
      throw new IllegalArgumentException(
          key + "format: unknown format '" + c.format() + "' (expected qa or text)");
    }
    return switch (c.type()) {
      case "http" -> {
        String url =
            c.url()
                .orElseThrow(
                    () -> new IllegalArgumentException(key + "url: required for an http source"));
        URI uri;
        try {
          uri = URI.create(url);
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(key + "url: not a URL: " + url, ex);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new IllegalArgumentException(key + "url: must be http(s): " + url);
        }
        yield new HttpSource(
            name, uri, c.dataset(), c.format(), c.cursorParam(), c.cursorHeader(), c.timeout());
      }
      case "s3" -> {
        String bucket =
            c.bucket()
                .orElseThrow(
                    () -> new IllegalArgumentException(key + "bucket: required for an s3 source"));
        boolean exists;
        try {
          exists = s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception ex) {
          throw new IllegalArgumentException(
              key + "bucket: bucket '" + bucket + "' is unreachable: " + ex.getMessage(), ex);
        }
        if (!exists) {
          throw new IllegalArgumentException(
              key + "bucket: bucket '" + bucket + "' does not exist");
        }
        yield new S3InboxSource(name, s3, bucket, c.prefix().orElse(""), c.dataset(), c.format());
      }
      case "directory" -> {
        Path dir =
            c.path()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            key + "path: required for a directory source"));
        try {
          Files.createDirectories(dir);
        } catch (Exception ex) {
          throw new IllegalArgumentException(
              key + "path: cannot use directory " + dir + ": " + ex, ex);
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir)) {
          throw new IllegalArgumentException(
              key + "path: directory " + dir + " must be readable and writable");
        }
        yield new DirectorySource(name, dir, c.dataset(), c.format());
      }
      default ->
          throw new IllegalArgumentException(
              key
                  + "type: unknown source type '"
                  + c.type()
                  + "' (expected http, s3 or directory)");
    };
  }
}
