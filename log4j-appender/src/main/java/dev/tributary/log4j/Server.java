package dev.tributary.log4j;

import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * One aggregator of a {@link TributaryAppender}: {@code <Server host="agg1" port="24224"/>}.
 * The values are checked with the appender's other options, so a bad port is named together with
 * every other problem. Immutable.
 */
@Plugin(name = "Server", category = Node.CATEGORY, printObject = true)
public final class Server {

  private final String host;
  private final String port;

  private Server(String host, String port) {
    this.host = host;
    this.port = port;
  }

  @PluginFactory
  public static Server createServer(@PluginAttribute("host") String host, @PluginAttribute("port") String port) {
    return new Server(host, port);
  }

  /** {@code host:port}, with an IPv6 address in brackets, as the {@code servers} option takes it. */
  String hostPort() {
    String h = host == null ? "" : host.trim();
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return h + ":" + (port == null ? "" : port.trim());
  }

  @Override
  public String toString() {
    return hostPort();
  }
}
