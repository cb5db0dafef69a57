package dev.conveyor.ingest.source;

import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.repository.SourceState;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.messages.Item;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An S3 drop box: every object under the prefix is one payload; once the version is committed the
 * objects move to {@code processed/<key>} in the same bucket, so they are never pulled twice.
 */
public final class S3InboxSource implements Source {
  public static final String PROCESSED = "processed/";
  private final String name;
  private final MinioClient client;
  private final String bucket;
  private final String prefix;
  private final String dataset;
  private final String format;

  public S3InboxSource(
      String name,
      MinioClient client,
      String bucket,
      String prefix,
      String dataset,
      String format) {
    this.name = name;
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
    this.dataset = dataset;
    this.format = format;
  }

  @Override
  public Pull fetch(SourceState state) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Result<Item> r :
        client.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
      Item item = r.get();
      if (!item.isDir()
          && !item.objectName().startsWith(PROCESSED)
          && !item.objectName().endsWith("/")) {
        keys.add(item.objectName());
      }
    }
    keys.sort(null);
    List<Payload> payloads = new ArrayList<>();
    for (String key : keys) {
      try (InputStream in =
          client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
        payloads.add(new Payload("s3://" + bucket + "/" + key, in.readAllBytes(), null));
      }
    }
    String cursor = keys.isEmpty() ? state.cursor() : keys.get(keys.size() - 1);
    return new Pull(payloads, cursor, null, false, () -> moveToProcessed(keys));
  }

  private void moveToProcessed(List<String> keys) throws Exception {
    for (String key : keys) {
      client.copyObject(
          CopyObjectArgs.builder()
              .bucket(bucket)
              .object(PROCESSED + key)
              .source(SourceObject.builder().bucket(bucket).object(key).build())
              .build());
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "s3";
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + prefix;
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
