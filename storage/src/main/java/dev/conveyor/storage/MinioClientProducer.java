package dev.conveyor.storage;

import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one MinIO client of a service, built from {@link S3Config}. */
@ApplicationScoped
public class MinioClientProducer {

  @Produces
  @Singleton
  MinioClient minioClient(S3Config config) {
    return MinioClient.builder()
        .endpoint(config.endpoint())
        .region(config.region())
        .credentials(config.accessKey(), config.secretKey())
        .build();
  }
}
