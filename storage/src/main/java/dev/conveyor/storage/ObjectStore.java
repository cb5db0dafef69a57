package dev.conveyor.storage;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The service's view of its bucket: writes return the sha256 digest of what was stored, reads can
 * be verified against one, and {@code s3://bucket/key} URIs are built and parsed in one place.
 */
@ApplicationScoped
public class ObjectStore {
  private static final long PART_SIZE = 16L * 1024 * 1024;
  private final MinioClient client;
  private final String bucket;

  public ObjectStore(MinioClient client, S3Config config) {
    this.client = client;
    this.bucket = config.bucket();
  }

  public String bucket() {
    return bucket;
  }

  /** {@code s3://<bucket>/<key>}. */
  public String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** The key of an {@code s3://<bucket>/<key>} URI of this bucket. */
  public String keyOf(String uri) {
    String prefix = "s3://" + bucket + "/";
    if (uri == null || !uri.startsWith(prefix)) {
      throw new IllegalArgumentException("not an object of bucket '" + bucket + "': " + uri);
    }
    return uri.substring(prefix.length());
  }

  /** True when the bucket exists and the credentials can see it. */
  public boolean bucketReachable() {
    try {
      return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
    } catch (Exception e) {
      throw new StorageException("cannot reach bucket '" + bucket + "': " + e.getMessage(), e);
    }
  }

  public StoredObject put(String key, byte[] data, String contentType) {
    try {
      client.putObject(
          PutObjectArgs.builder().bucket(bucket).object(key).contentType(contentType).stream(
                  new ByteArrayInputStream(data), (long) data.length, -1L)
              .build());
      return new StoredObject(key, Digests.of(data), data.length);
    } catch (Exception e) {
      throw new StorageException("cannot write " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  public StoredObject putFile(String key, Path file, String contentType) {
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      client.putObject(
          PutObjectArgs.builder().bucket(bucket).object(key).contentType(contentType).stream(
                  in, size, PART_SIZE)
              .build());
      return new StoredObject(key, Digests.of(file), size);
    } catch (Exception e) {
      throw new StorageException("cannot write " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  public byte[] get(String key) {
    try (InputStream in =
        client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return in.readAllBytes();
    } catch (Exception e) {
      throw new StorageException("cannot read " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  /** Reads an object and refuses it unless its sha256 equals {@code expectedDigest}. */
  public byte[] getVerified(String key, String expectedDigest) {
    byte[] data = get(key);
    String actual = Digests.of(data);
    if (!actual.equals(expectedDigest)) {
      throw new StorageException(
          uri(key) + " is corrupt: sha256 is " + actual + ", expected " + expectedDigest);
    }
    return data;
  }

  /** Downloads to {@code target} (atomically replaced) and returns what was stored. */
  public StoredObject download(String key, Path target) {
    try (InputStream in =
        client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".dl-", ".part");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new StoredObject(key, Digests.of(target), Files.size(target));
    } catch (Exception e) {
      throw new StorageException("cannot download " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  /** Size of an object, or empty when it does not exist. */
  public Optional<Long> size(String key) {
    try {
      return Optional.of(
          client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
    } catch (ErrorResponseException e) {
      if ("NoSuchKey".equals(e.errorResponse().code())) {
        return Optional.empty();
      }
      throw new StorageException("cannot stat " + uri(key) + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new StorageException("cannot stat " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  public boolean exists(String key) {
    return size(key).isPresent();
  }

  /** Server-side copy: the bytes never pass through this service. */
  public void copy(String sourceKey, String targetKey) {
    try {
      client.copyObject(
          CopyObjectArgs.builder()
              .bucket(bucket)
              .object(targetKey)
              .source(SourceObject.builder().bucket(bucket).object(sourceKey).build())
              .build());
    } catch (Exception e) {
      throw new StorageException(
          "cannot copy " + uri(sourceKey) + " to " + uri(targetKey) + ": " + e.getMessage(), e);
    }
  }

  /** Every key under {@code prefix}, recursively, in lexical order. */
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>();
    try {
      for (Result<Item> r :
          client.listObjects(
              ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        keys.add(r.get().objectName());
      }
    } catch (Exception e) {
      throw new StorageException("cannot list " + uri(prefix) + ": " + e.getMessage(), e);
    }
    keys.sort(null);
    return keys;
  }

  public void delete(String key) {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (Exception e) {
      throw new StorageException("cannot delete " + uri(key) + ": " + e.getMessage(), e);
    }
  }
}
