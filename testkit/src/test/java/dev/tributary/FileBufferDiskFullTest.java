package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file buffer on a filesystem that really fills up: a size-limited tmpfs the test mounts (where
 * the machine lets it: root with mount rights; elsewhere the test is skipped, and FileBufferTest's
 * injected failure stands in). A full disk must be a counted drop at chunk creation, never a fault
 * (SIGBUS) inside {@code emit}, and what was accepted must still be delivered.
 */
class FileBufferDiskFullTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;
  private Path small;
  private boolean mounted;

  @BeforeEach
  void mountASmallFilesystem() throws Exception {
    small = Files.createDirectory(tmp.resolve("small"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=256k", "tributary-test", small.toString());
    Assumptions.assumeTrue(mounted, "cannot mount a small tmpfs here (needs root with mount rights)");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted && !run("umount", small.toString())) {
      run("umount", "-l", small.toString());
    }
    Await.noTributaryThreads();
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void aFullDiskIsACountedDropAtChunkCreationAndEveryAcceptedEventIsStillDelivered() {
    List<String> told = new CopyOnWriteArrayList<>();
    try (ForwardServer server = ForwardServer.start()) {
      server.stop();
      Tributary.Builder b = Tributary.builder().server("127.0.0.1", server.port())
          .bufferPath(small)
          .chunkMaxBytes(16 * 1024)
          .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(100))
          .flushInterval(Duration.ofMillis(20))
          .heartbeatType(HeartbeatType.NONE)
          .listener(new TributaryListener() {
            @Override
            public void onStorageError(String message, Throwable cause) {
              told.add(message + (cause == null ? "" : ": " + cause));
            }
          });
      try (Tributary t = b.build()) {
        int emitted = 0;
        // each event ~80 bytes: 256 KiB holds a few thousand; stop once the disk has said no a while
        while (t.metrics().dropped(DropReason.STORAGE_ERROR) < 100 && emitted < 200_000) {
          t.emit("disk.full", Map.of("seq", emitted, "text", "an event that fills the small disk"));
          emitted++;
        }
        long refused = t.metrics().dropped(DropReason.STORAGE_ERROR);
        assertTrue(refused >= 100, "the disk filled up and emit counted it, after " + emitted + " events");
        long accepted = emitted - refused;
        assertTrue(accepted > 100, "events were accepted before the disk filled: " + accepted);
        t.flush();
        server.restart();
        server.awaitEventCount(accepted, WAIT);
        assertEquals(0, t.close(WAIT));
        assertEquals(accepted, server.eventCount(), "every accepted event, none of the refused");
        Await.until("the listener told of the full disk", WAIT, () -> !told.isEmpty());
        assertTrue(told.get(0).contains("No space left"), told.toString());
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  @Test
  void aDirectoryThatExistsButCannotBeWrittenIsAClearErrorAtBuildNamingIt() throws Exception {
    Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
    boolean ro = run("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tributary-test-ro", readOnly.toString());
    Assumptions.assumeTrue(ro, "cannot mount a read-only tmpfs here");
    try {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> Tributary.builder().server("127.0.0.1", 24224).bufferPath(readOnly)
              .heartbeatType(HeartbeatType.NONE).listener(TributaryListener.NONE).build());
      assertTrue(e.getMessage().contains(readOnly.toString()), e.getMessage());
    } finally {
      if (!run("umount", readOnly.toString())) {
        run("umount", "-l", readOnly.toString());
      }
    }
  }
}
