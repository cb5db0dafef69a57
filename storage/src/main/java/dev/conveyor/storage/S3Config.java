package dev.conveyor.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where objects live: an S3-compatible endpoint (MinIO in production, S3Proxy locally). */
@ConfigMapping(prefix = "conveyor.s3")
public interface S3Config {

  /** Endpoint URL, e.g. {@code http://minio:9000}. */
  String endpoint();

  /** Access key; from the environment or a secret, never from code. */
  String accessKey();

  /** Secret key; from the environment or a secret, never from code. */
  String secretKey();

  /** The bucket holding datasets/, runs/, models/ and reports/. */
  @WithDefault("conveyor")
  String bucket();

  @WithDefault("us-east-1")
  String region();
}
