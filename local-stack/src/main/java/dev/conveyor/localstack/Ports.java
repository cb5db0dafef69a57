package dev.conveyor.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port choice: the preferred port when it is free, otherwise any free one. */
public final class Ports {
  private Ports() {}

  /** {@code preferred} if free (0 means "any"), else a free ephemeral port. */
  public static int choose(int preferred) {
    if (preferred > 0 && isFree(preferred)) {
      return preferred;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  /** True if nothing listens on {@code port} on loopback. */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      // as servers bind (SO_REUSEADDR): a port with connections in TIME_WAIT is free for them
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
