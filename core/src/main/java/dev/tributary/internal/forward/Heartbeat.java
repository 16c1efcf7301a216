package dev.tributary.internal.forward;

import dev.tributary.HeartbeatType;
import dev.tributary.internal.report.SafeListener;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The heartbeat thread ({@code tributary-heartbeat-<name>}): every interval it checks each server
 * and feeds what it saw to the server's {@link PhiAccrualDetector}, which detaches a silent
 * server and brings back one that answered long enough.
 *
 * <p>{@link HeartbeatType#TRANSPORT}: a connection opened as for data (TCP, TLS and shared-key
 * handshakes included) and closed at once, one server after the other, each bounded by the
 * connect timeout. {@link HeartbeatType#UDP}: the byte {@code 0x00} sent to each server's port
 * from one datagram socket; a datagram back from that address is the heartbeat. An ack on a
 * server's connections counts as a heartbeat too, but never brings a detached server back.
 * Whatever a server showed during one interval is one sample, taken at the start of the next
 * tick, so a stream of acks does not crowd the detector's window. Host names are resolved again
 * at each probe.
 *
 * <p>Owns its thread and its datagram socket; {@link #start()} once, {@link #stop(long)} to end
 * both. The detectors are touched by this thread only.
 */
final class Heartbeat implements Runnable {

  /** Opens a connection to a server as for data and closes it. */
  interface Probe {
    void probe(ServerAddress server) throws IOException;

    /** Breaks off a probe under way (stop). */
    void abort();
  }

  private final ServerSet servers;
  private final HealthSettings settings;
  private final Probe probe;
  private final LongSupplier nanoClock;
  private final Clock wallClock;
  private final Thread thread;
  private final DatagramSocket udp;
  private volatile boolean running = true;

  Heartbeat(ServerSet servers, HealthSettings settings, Probe probe, LongSupplier nanoClock, Clock wallClock,
      String name) {
    this.servers = servers;
    this.settings = settings;
    this.probe = probe;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
    long now = nanoClock.getAsLong();
    for (ServerState s : servers.all()) {
      s.detector = new PhiAccrualDetector(settings.intervalNanos(), settings.phiThreshold(),
          settings.hardTimeoutNanos(), settings.recoverWaitNanos(), now);
    }
    if (settings.heartbeat() == HeartbeatType.UDP) {
      try {
        this.udp = new DatagramSocket();
      } catch (SocketException e) {
        throw new IllegalStateException("cannot open a UDP socket for heartbeats: " + e.getMessage(), e);
      }
    } else {
      this.udp = null;
    }
    this.thread = new Thread(this, "tributary-heartbeat-" + name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Ends the thread, breaking off a probe or a wait under way, and waits up to {@code joinMillis}. */
  void stop(long joinMillis) {
    running = false;
    probe.abort();
    if (udp != null) {
      udp.close();
    }
    LockSupport.unpark(thread);
    try {
      thread.join(Math.max(1, joinMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    long next = nanoClock.getAsLong() + settings.intervalNanos();
    try {
      while (running) {
        long now = nanoClock.getAsLong();
        if (now - next >= 0) {
          try {
            tick(now);
          } catch (Throwable e) {
            // a bug must not end health checks for the life of the application
            SafeListener.rethrowIfFatal(e);
          }
          next = now + settings.intervalNanos();
        } else if (udp != null) {
          receive(next - now);
        } else {
          LockSupport.parkNanos(next - now);
        }
      }
    } finally {
      if (udp != null) {
        udp.close();
      }
    }
  }

  /** Feeds the last interval's signs of life to the detectors, then sends this interval's probes. */
  private void tick(long now) {
    List<ServerState> all = servers.all();
    for (ServerState s : all) {
      feed(s, now);
    }
    for (ServerState s : all) {
      if (!running) {
        return;
      }
      if (settings.heartbeat() == HeartbeatType.TRANSPORT) {
        try {
          probe.probe(s.address());
          s.probedSinceTick = true;
        } catch (IOException | RuntimeException e) {
          failed(s, e);
        }
      } else {
        send(s);
      }
    }
  }

  private void feed(ServerState s, long now) {
    PhiAccrualDetector d = s.detector;
    boolean probed = s.probedSinceTick;
    s.probedSinceTick = false;
    long delivered = s.lastDeliveredNanos();
    boolean acked = delivered != s.deliveredSeen;
    s.deliveredSeen = delivered;
    if ((probed || acked) && d.heartbeat(now, probed)) {
      servers.recover(s, "it answered heartbeats for " + millis(settings.recoverWaitNanos()));
    }
    double phi = d.phi(now);
    long silent = now - d.lastHeartbeatNanos();
    if (d.check(now)) {
      servers.detach(s, silent > settings.hardTimeoutNanos()
          ? "no heartbeat for " + millis(silent) + " (hardTimeout " + millis(settings.hardTimeoutNanos()) + ")"
          : String.format(Locale.ROOT, "no heartbeat for %s, phi %.2f > phiThreshold %d", millis(silent), phi,
              settings.phiThreshold()));
    }
  }

  private void send(ServerState s) {
    ServerAddress a = s.address();
    InetSocketAddress target = new InetSocketAddress(a.host(), a.port());
    if (target.isUnresolved()) {
      failed(s, new IOException("cannot resolve " + a.host()));
      return;
    }
    s.udpTarget = target;
    try {
      udp.send(new DatagramPacket(new byte[1], 1, target));
    } catch (IOException e) {
      if (running) {
        failed(s, e);
      }
    }
  }

  private void receive(long nanos) {
    DatagramPacket p = new DatagramPacket(new byte[16], 16);
    try {
      udp.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000L)));
      udp.receive(p);
    } catch (SocketTimeoutException e) {
      return;
    } catch (IOException e) {
      if (running) {
        // an ICMP "port unreachable" can surface here; the missing answer is what counts
        LockSupport.parkNanos(Math.min(nanos, 10_000_000L));
      }
      return;
    }
    SocketAddress from = p.getSocketAddress();
    for (ServerState s : servers.all()) {
      if (from.equals(s.udpTarget)) {
        s.probedSinceTick = true;
      }
    }
  }

  private void failed(ServerState s, Exception e) {
    s.note("heartbeat: " + (e.getMessage() != null ? e.getMessage() : e.toString()), wallClock.instant());
  }

  private static String millis(long nanos) {
    return nanos >= 10_000_000_000L ? nanos / 1_000_000_000L + " s" : nanos / 1_000_000L + " ms";
  }
}
