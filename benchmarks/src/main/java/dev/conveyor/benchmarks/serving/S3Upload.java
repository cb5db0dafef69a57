package dev.conveyor.benchmarks.serving;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A signed (AWS Signature V4) S3 PUT with the JDK HTTP client, so the harness needs no S3 SDK on
 * the benchmarks module's classpath. Enough for uploading an artifact to the local stack.
 */
final class S3Upload {

  private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private S3Upload() {}

  /** Uploads {@code file} to {@code endpoint/bucket/key}; returns {@code sha256:<hex>} of it. */
  static String put(
      String endpoint, String accessKey, String secretKey, String bucket, String key, Path file)
      throws Exception {
    byte[] body = Files.readAllBytes(file);
    String payloadHash = hex(MessageDigest.getInstance("SHA-256").digest(body));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String amzDate = AMZ.format(now);
    String date = amzDate.substring(0, 8);
    String region = "us-east-1";
    URI uri = URI.create(endpoint.replaceAll("/+$", "") + "/" + bucket + "/" + encodePath(key));
    String host = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    String canonical =
        "PUT\n"
            + uri.getRawPath()
            + "\n\n"
            + "host:"
            + host
            + "\nx-amz-content-sha256:"
            + payloadHash
            + "\nx-amz-date:"
            + amzDate
            + "\n\nhost;x-amz-content-sha256;x-amz-date\n"
            + payloadHash;
    String scope = date + "/" + region + "/s3/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(
                MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, "s3");
    k = hmac(k, "aws4_request");
    String signature = hex(hmac(k, toSign));
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .header("x-amz-date", amzDate)
            .header("x-amz-content-sha256", payloadHash)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential="
                    + accessKey
                    + "/"
                    + scope
                    + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
                    + signature)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("S3 PUT " + uri + " -> " + r.statusCode() + ": " + r.body());
    }
    return "sha256:" + payloadHash;
  }

  private static String encodePath(String key) {
    StringBuilder sb = new StringBuilder();
    for (String seg : key.split("/", -1)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
