package dev.tributary.log4j;

import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * One aggregator of a {@link TributaryAppender}: {@code <Server host="agg1" port="24224"/>}, with
 * optional {@code weight="40"} (default 60) and {@code standby="true"} (taking events only while
 * every primary server is down). The values are checked with the appender's other options, so a
 * bad port is named together with every other problem. Immutable.
 */
@Plugin(name = "Server", category = Node.CATEGORY, printObject = true)
public final class Server {

  private final String host;
  private final String port;
  private final String weight;
  private final String standby;

  private Server(String host, String port, String weight, String standby) {
    this.host = host;
    this.port = port;
    this.weight = weight;
    this.standby = standby;
  }

  public static Server createServer(String host, String port) {
    return new Server(host, port, null, null);
  }

  @PluginFactory
  public static Server createServer(@PluginAttribute("host") String host, @PluginAttribute("port") String port,
      @PluginAttribute("weight") String weight, @PluginAttribute("standby") String standby) {
    return new Server(host, port, weight, standby);
  }

  /**
   * {@code host:port}, with an IPv6 address in brackets, then any {@code weight=N} and {@code
   * standby=..}, as the {@code servers} option takes it.
   */
  String hostPort() {
    String h = host == null ? "" : host.trim();
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return h + ":" + (port == null ? "" : port.trim())
        + (weight == null ? "" : " weight=" + weight.trim())
        + (standby == null ? "" : " standby=" + standby.trim());
  }

  @Override
  public String toString() {
    return hostPort();
  }
}
