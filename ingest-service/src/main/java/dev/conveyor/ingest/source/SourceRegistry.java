package dev.conveyor.ingest.source;

import dev.conveyor.ingest.config.IngestConfig;
import io.minio.MinioClient;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The configured sources, built and checked at start-up so bad configuration fails fast. */
@Startup
@ApplicationScoped
public class SourceRegistry {
  private static final Logger LOG = Logger.getLogger(SourceRegistry.class);
  private final List<Source> sources;

  public SourceRegistry(IngestConfig config, MinioClient s3) {
    this.sources = SourceFactory.build(config, s3);
    for (Source s : sources) {
      LOG.infof(
          "source %s: %s %s -> dataset %s (%s)",
          s.name(), s.type(), s.location(), s.dataset(), s.format());
    }
  }

  public List<Source> all() {
    return sources;
  }

  public Optional<Source> find(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
