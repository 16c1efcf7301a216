package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

  @Test
  void neverHandsOutMoreThanTheBudgetAndRecyclesPages() {
    BufferPool pool = new BufferPool(4 * 1024, 1024);
    byte[][] pages = new byte[8][];
    assertTrue(pool.tryAllocate(3, pages, 0));
    assertFalse(pool.tryAllocate(2, pages, 3), "only one page left");
    assertTrue(pool.tryAllocate(1, pages, 3));
    assertEquals(4 * 1024, pool.usedBytes());
    byte[] first = pages[0];
    pool.release(pages, 1);
    assertEquals(3 * 1024, pool.usedBytes());
    byte[][] again = new byte[1][];
    assertTrue(pool.tryAllocate(1, again, 0));
    assertSame(first, again[0], "a released page is reused, not reallocated");
  }

  @Test
  void awaitReturnsWhenPagesAreReleased() throws Exception {
    BufferPool pool = new BufferPool(2 * 1024, 1024);
    byte[][] pages = new byte[2][];
    assertTrue(pool.tryAllocate(2, pages, 0));
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return pool.awaitPages(1, TimeUnit.SECONDS.toNanos(30));
      } catch (InterruptedException e) {
        return false;
      }
    });
    pool.release(pages, 1);
    assertTrue(waiter.get(30, TimeUnit.SECONDS));
  }

  @Test
  void aWaitThatRunsOutMarksThePoolExhaustedUntilARelease() throws Exception {
    BufferPool pool = new BufferPool(1024, 1024);
    byte[][] pages = new byte[1][];
    assertTrue(pool.tryAllocate(1, pages, 0));
    assertFalse(pool.awaitPages(1, TimeUnit.MILLISECONDS.toNanos(1)));
    assertTrue(pool.exhausted());
    pool.release(pages, 1);
    assertFalse(pool.exhausted());
  }
}
