package dev.conveyor.model.artifact;

import java.io.IOException;

/** An artifact is missing, corrupt, truncated or inconsistent; says which file and why. */
public class ArtifactException extends IOException {

  private final String file;

  public ArtifactException(String file, String reason) {
    super(file + ": " + reason);
    this.file = file;
  }

  public ArtifactException(String file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
    this.file = file;
  }

  /** The offending file, relative to the artifact directory. */
  public String file() {
    return file;
  }
}
