package dev.conveyor.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Quarkus test resource every service test shares. The stack starts once per test JVM (not once
 * per class) and stops when the JVM exits. Init arg {@code database} picks the service's database.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
  private static LocalStack shared;
  private String database = "postgres";

  /** The stack of this JVM, started on first use. */
  public static synchronized LocalStack shared() {
    if (shared == null) {
      try {
        Path dir =
            Path.of("target", "local-stack-" + ProcessHandle.current().pid()).toAbsolutePath();
        shared = LocalStack.start(StackOptions.forTests(dir));
        LocalStack stack = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-stop"));
      } catch (Exception e) {
        throw new IllegalStateException("local stack did not start: " + e.getMessage(), e);
      }
    }
    return shared;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    database = initArgs.getOrDefault("database", database);
  }

  @Override
  public Map<String, String> start() {
    return shared().serviceConfig(database);
  }

  @Override
  public void stop() {
    // The stack outlives each test class on purpose; the JVM shutdown hook stops it.
  }
}
