package dev.conveyor.localstack;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/** A real S3-compatible server (S3Proxy over the filesystem) with signature V2/V4 auth. */
final class S3Server implements Component {
  private final Path dir;
  private final int port;
  private final List<String> buckets;
  private final StackCredentials credentials;
  private S3Proxy proxy;

  S3Server(Path dir, int port, List<String> buckets, StackCredentials credentials) {
    this.dir = dir;
    this.port = port;
    this.buckets = buckets;
    this.credentials = credentials;
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  @Override
  public void start() throws Exception {
    Files.createDirectories(dir);
    FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(dir.toString());
    for (String bucket : buckets) {
      if (!Files.isDirectory(dir.resolve(bucket))) {
        store.createContainer(CreateBucketRequest.builder().bucket(bucket).build());
      }
    }
    proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4,
                credentials.s3AccessKey(),
                credentials.s3SecretKey())
            .build();
    proxy.start();
    awaitHttp();
  }

  /** Ready means the HTTP endpoint answers an S3 request (403 for an unsigned one is an answer). */
  private void awaitHttp() throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if ("STARTED".equals(proxy.getState())) {
        try {
          HttpURLConnection c =
              (HttpURLConnection)
                  URI.create(endpoint() + "/" + buckets.get(0)).toURL().openConnection();
          c.setRequestMethod("HEAD");
          c.setConnectTimeout(1000);
          int code = c.getResponseCode();
          c.disconnect();
          if (code > 0) {
            return;
          }
        } catch (Exception e) {
          last = e;
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("S3 server did not answer on " + endpoint(), last);
  }

  @Override
  public Map<String, String> serviceConfig() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("conveyor.s3.endpoint", endpoint());
    m.put("conveyor.s3.access-key", credentials.s3AccessKey());
    m.put("conveyor.s3.secret-key", credentials.s3SecretKey());
    m.put("conveyor.s3.bucket", buckets.get(0));
    return m;
  }

  @Override
  public String describe() {
    return "S3          "
        + endpoint()
        + "  (S3Proxy, path-style, buckets: "
        + String.join(", ", buckets)
        + "; keys: "
        + credentials.source()
        + ")";
  }

  @Override
  public void close() {
    if (proxy != null) {
      try {
        proxy.stop();
      } catch (Exception e) {
        throw new IllegalStateException("S3 server did not stop cleanly", e);
      } finally {
        proxy = null;
      }
    }
  }
}
