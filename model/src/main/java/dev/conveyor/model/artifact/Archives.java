package dev.conveyor.model.artifact;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Single-file form of an artifact: a zip of the directory's regular files (flat, sorted, fixed
 * timestamps, so the same artifact always gives the same bytes). Unpacking then {@link
 * ArtifactReader#verify} checks the content.
 */
public final class Archives {

  private static final FileTime EPOCH = FileTime.fromMillis(0);

  private Archives() {}

  /** Zips the files of {@code artifactDirectory} into {@code archive}. */
  public static void pack(Path artifactDirectory, Path archive) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(artifactDirectory)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
    try (ZipOutputStream zip =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      for (Path f : files) {
        ZipEntry e = new ZipEntry(f.getFileName().toString());
        e.setLastModifiedTime(EPOCH);
        zip.putNextEntry(e);
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    Files.move(tmp, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Extracts {@code archive} into {@code directory} (created; must be empty) and verifies it.
   *
   * @return the verified manifest
   * @throws ArtifactException when the archive is unreadable or its content fails verification
   */
  public static Manifest unpack(Path archive, Path directory) throws IOException {
    Files.createDirectories(directory);
    try (Stream<Path> s = Files.list(directory)) {
      if (s.findAny().isPresent()) {
        throw new IOException("unpack target " + directory + " is not empty");
      }
    }
    try (ZipInputStream zip =
        new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
      int entries = 0;
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        String name = e.getName();
        if (e.isDirectory() || name.contains("/") || name.contains("\\") || name.contains("..")) {
          throw new ArtifactException(name, "unexpected entry in archive " + archive.getFileName());
        }
        try (OutputStream out = Files.newOutputStream(directory.resolve(name))) {
          copy(zip, out);
        }
        entries++;
      }
      if (entries == 0) {
        throw new ArtifactException(archive.getFileName().toString(), "not a zip archive or empty");
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new ArtifactException(
          archive.getFileName().toString(), "corrupt archive: " + e.getMessage(), e);
    }
    return ArtifactReader.verify(directory);
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
    }
  }
}
