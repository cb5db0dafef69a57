package dev.conveyor.cli.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a running {@code conveyor up} left in its data directory for the other commands: the
 * endpoints ({@value ConveyorSystem#ENV_FILE}), its pid and the admin password.
 */
public record SystemEnv(Path dataDir, Map<String, String> vars) {
  public static final String PID_FILE = "conveyor.pid";

  /** Reads the data directory of a running system; a clear error when none runs there. */
  public static SystemEnv load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(ConveyorSystem.ENV_FILE);
    if (!Files.exists(file)) {
      throw new IOException(
          "no running system in " + dataDir + " (start it with ./conveyor up, or pass --data-dir)");
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (l.startsWith("export ") && l.contains("=")) {
        String kv = l.substring("export ".length());
        int eq = kv.indexOf('=');
        String v = kv.substring(eq + 1);
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
          v = v.substring(1, v.length() - 1);
        }
        vars.put(kv.substring(0, eq), v);
      }
    }
    return new SystemEnv(dataDir, Map.copyOf(vars));
  }

  public String require(String name) throws IOException {
    String v = vars.get(name);
    if (v == null) {
      throw new IOException(name + " is missing from " + dataDir.resolve(ConveyorSystem.ENV_FILE));
    }
    return v;
  }

  public String url(ServiceSpec spec) throws IOException {
    return require(spec.urlVariable());
  }

  /** {@code CONVEYOR_ADMIN_PASSWORD} if set, else the one {@code up} generated (mode 600 file). */
  public String adminPassword() throws IOException {
    String env = System.getenv("CONVEYOR_ADMIN_PASSWORD");
    if (env != null && !env.isBlank()) {
      return env;
    }
    Path file = dataDir.resolve("credentials.properties");
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
    }
    String v = p.getProperty("admin.password");
    if (v == null) {
      throw new IOException("no admin password in " + file);
    }
    return v;
  }
}
