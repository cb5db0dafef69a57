package dev.conveyor.serving.registry;

import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.serving.service.ModelRefusedException;
import dev.conveyor.serving.service.ModelSlot;
import dev.conveyor.serving.service.ModelSource;
import dev.conveyor.serving.service.SwapService;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * At start-up, asks the registry for the current champion and loads it, retrying while the registry
 * is unreachable or has no champion yet, until a model is serving (a promotion may win the race).
 */
@ApplicationScoped
public class ChampionLoader {

  private static final Logger LOG = Logger.getLogger(ChampionLoader.class);
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final ServingConfig config;
  private final SwapService swaps;
  private final ModelSlot slot;
  private volatile boolean running = true;

  public ChampionLoader(ServingConfig config, SwapService swaps, ModelSlot slot) {
    this.config = config;
    this.swaps = swaps;
    this.slot = slot;
  }

  void start(@Observes StartupEvent ev) {
    if (config.registryUrl().isEmpty()) {
      LOG.info("no conveyor.serving.registry-url: waiting for the first model-promoted event");
      return;
    }
    Thread t = new Thread(this::loadChampion, "serving-champion");
    t.setDaemon(true);
    t.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    running = false;
  }

  private void loadChampion() {
    RegistryClient client =
        QuarkusRestClientBuilder.newBuilder()
            .baseUri(URI.create(config.registryUrl().orElseThrow()))
            .build(RegistryClient.class);
    while (running && slot.current().isEmpty()) {
      try {
        Champion c = client.champion(config.modelName());
        if (c.version() == null || c.artifactRef() == null) {
          throw new IllegalStateException("the champion answer lacks a version or an artifact");
        }
        String name = c.modelName() == null ? config.modelName() : c.modelName();
        swaps
            .promote(
                new ModelSource(name, c.version(), c.artifactRef(), c.datasetDigest()),
                System.nanoTime())
            .join();
        return;
      } catch (WebApplicationException e) {
        LOG.infof(
            "registry has no champion for %s yet (HTTP %d); retrying in %s",
            config.modelName(), e.getResponse().getStatus(), RETRY);
      } catch (CompletionException e) {
        if (e.getCause() instanceof ModelRefusedException) {
          LOG.errorf("the champion was refused; waiting for the next promotion");
          return;
        }
        LOG.warnf("loading the champion failed: %s; retrying in %s", e.getMessage(), RETRY);
      } catch (RuntimeException e) {
        LOG.warnf("registry unreachable: %s; retrying in %s", e.getMessage(), RETRY);
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
