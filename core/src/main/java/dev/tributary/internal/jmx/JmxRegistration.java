package dev.tributary.internal.jmx;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Puts an instance's MBean on the platform MBean server as {@code
 * dev.tributary:type=Tributary,name=<name>} and takes it off again. A name already taken (a
 * second instance with the same name, or a log4j2 reconfiguration that starts the new appender
 * before it stops the old) gets the first free of {@code <name>-2}, {@code <name>-3}, ...: the
 * registration itself decides, so two instances starting together cannot take the same one.
 *
 * <p>Thread safe. Owns the registration: {@link #close()} removes it, once.
 */
public final class JmxRegistration implements AutoCloseable {

  /** The domain and type of every Tributary MBean; {@code name=} follows. */
  public static final String PREFIX = "dev.tributary:type=Tributary,name=";

  private static final int MAX_TRIES = 10_000;

  private final MBeanServer server;
  private final ObjectName objectName;
  private volatile boolean closed;

  private JmxRegistration(MBeanServer server, ObjectName objectName) {
    this.server = server;
    this.objectName = objectName;
  }

  /**
   * Registers {@code mbean} under {@code name}, or the first free numbered name after it.
   *
   * @throws IllegalStateException when the MBean server refuses it for another reason (a
   *     security manager, say); nothing is left registered then
   */
  public static JmxRegistration register(String name, TributaryMBean mbean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (int n = 1; n <= MAX_TRIES; n++) {
      ObjectName on = objectName(n == 1 ? name : name + "-" + n);
      try {
        server.registerMBean(mbean, on);
        return new JmxRegistration(server, on);
      } catch (InstanceAlreadyExistsException taken) {
        // the next number
      } catch (JMException | RuntimeException e) {
        throw new IllegalStateException("could not register the MBean " + on + ": " + e, e);
      }
    }
    throw new IllegalStateException("could not register an MBean for " + name + ": " + MAX_TRIES + " names taken");
  }

  /** The MBean name of the instance named {@code name} (a taken name gets a number; see above). */
  public static ObjectName objectName(String name) {
    try {
      return new ObjectName(PREFIX + name);
    } catch (MalformedObjectNameException e) {
      // instance names are letters, digits, '.', '_' and '-': always a valid value
      throw new IllegalArgumentException("not a valid MBean name: " + name, e);
    }
  }

  /** The name the MBean got. */
  public ObjectName objectName() {
    return objectName;
  }

  /** Removes the MBean; later calls do nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.unregisterMBean(objectName);
    } catch (InstanceNotFoundException gone) {
      // someone unregistered it already: what close wants
    } catch (JMException e) {
      throw new IllegalStateException("could not unregister the MBean " + objectName + ": " + e, e);
    }
  }
}
