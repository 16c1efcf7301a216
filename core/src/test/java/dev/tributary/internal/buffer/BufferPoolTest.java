package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

  @Test
  void neverHandsOutMoreThanTheBudgetAndRecyclesPages() {
    BufferPool pool = new BufferPool(4 * 1024, 1024, 1024);
    byte[][] pages = new byte[8][];
    for (int i = 0; i < 4; i++) {
      pages[i] = pool.tryAllocate(1024);
      assertNotNull(pages[i]);
    }
    assertNull(pool.tryAllocate(1024), "the budget is spent");
    assertEquals(4 * 1024, pool.usedBytes());
    byte[] first = pages[0];
    pool.release(pages, 0, 1);
    assertNull(pages[0], "a released slot is cleared");
    assertEquals(3 * 1024, pool.usedBytes());
    assertSame(first, pool.tryAllocate(1024), "a released page is reused, not reallocated");
  }

  @Test
  void freePagesAreHandedOutInTheOrderTheyCameBack() {
    BufferPool pool = new BufferPool(8 * 1024, 1024, 1024);
    byte[][] pages = new byte[3][];
    for (int i = 0; i < 3; i++) {
      pages[i] = pool.tryAllocate(1024);
      pages[i][0] = (byte) ('a' + i); // a label: the pages are told apart by their first byte
    }
    pool.release(pages, 1, 1);
    pool.release(pages, 0, 1);
    pool.release(pages, 2, 1);
    // the page released last is the one the sending core read last: it comes out last
    assertEquals('b', pool.tryAllocate(1024)[0]);
    assertEquals('a', pool.tryAllocate(1024)[0]);
    byte[][] again = {pool.tryAllocate(1024)};
    assertEquals('c', again[0][0]);
    pool.release(again, 0, 1);
    assertEquals('c', pool.tryAllocate(1024)[0], "the only free page");
  }

  @Test
  void pageSizesStartSmallAndDoubleEverySecondPageUpToTheLargest() {
    BufferPool pool = new BufferPool(64 * 1024 * 1024, 32 * 1024);
    assertEquals(512, pool.minPageSize());
    assertEquals(512, pool.pageSize(0));
    assertEquals(512, pool.pageSize(1));
    assertEquals(1024, pool.pageSize(2));
    assertEquals(1024, pool.pageSize(3));
    assertEquals(16 * 1024, pool.pageSize(11));
    assertEquals(32 * 1024, pool.pageSize(12));
    assertEquals(32 * 1024, pool.pageSize(13));
    assertEquals(32 * 1024, pool.pageSize(1000));
  }

  @Test
  void pagesAreRecycledBySize() {
    BufferPool pool = new BufferPool(64 * 1024, 1024, 8 * 1024);
    byte[][] pages = {pool.tryAllocate(1024), pool.tryAllocate(4096)};
    byte[] small = pages[0];
    byte[] large = pages[1];
    pool.release(pages, 0, 2);
    assertEquals(0, pool.usedBytes());
    assertSame(large, pool.tryAllocate(4096));
    assertSame(small, pool.tryAllocate(1024));
    assertEquals(5 * 1024, pool.usedBytes());
  }

  @Test
  void freePagesOfOtherSizesMakeRoomForTheSizeWanted() {
    BufferPool pool = new BufferPool(4 * 1024, 1024, 4 * 1024);
    byte[][] pages = new byte[4][];
    for (int i = 0; i < 4; i++) {
      pages[i] = pool.tryAllocate(1024);
    }
    pool.release(pages, 0, 4);
    byte[] big = pool.tryAllocate(4096);
    assertNotNull(big, "four free small pages are room for one large page");
    assertEquals(4096, big.length);
    assertEquals(4 * 1024, pool.usedBytes());
    assertEquals(0, pool.freeBytes());
    assertNull(pool.tryAllocate(1024));
  }

  @Test
  void aFullBudgetHandsOutAFreePageOfHalfOrTwiceTheSizeBeforeDroppingAny() {
    BufferPool pool = new BufferPool(8 * 1024, 1024, 4 * 1024);
    byte[][] pages = {pool.tryAllocate(1024), pool.tryAllocate(1024), pool.tryAllocate(2048),
        pool.tryAllocate(4096)};
    assertEquals(8 * 1024, pool.usedBytes(), "the whole budget is made into pages");
    byte[] oneK = pages[0];
    byte[] twoK = pages[2];
    byte[] fourK = pages[3];
    pool.release(pages, 0, 1);
    assertSame(oneK, pool.tryAllocate(2048), "half the size, when no page of the size is free");
    pool.release(new byte[][] {twoK}, 0, 1);
    assertSame(twoK, pool.tryAllocate(1024), "twice the size, when neither it nor half is free");
    pool.release(new byte[][] {fourK}, 0, 1);
    byte[] made = pool.tryAllocate(1024);
    assertEquals(1024, made.length, "four times the size is too far: the free page is dropped for a new one");
    assertEquals(5 * 1024, pool.usedBytes());
    assertEquals(0, pool.freeBytes());
  }

  @Test
  void onlyItsOwnPageSizesAreAccepted() {
    BufferPool pool = new BufferPool(64 * 1024, 1024, 8 * 1024);
    assertThrows(IllegalArgumentException.class, () -> pool.tryAllocate(512));
    assertThrows(IllegalArgumentException.class, () -> pool.tryAllocate(3000));
    assertThrows(IllegalArgumentException.class, () -> pool.tryAllocate(16 * 1024));
    assertThrows(IllegalArgumentException.class, () -> new BufferPool(64 * 1024, 2048, 1024));
  }

  @Test
  void awaitReturnsWhenPagesAreReleased() throws Exception {
    BufferPool pool = new BufferPool(2 * 1024, 1024, 1024);
    byte[][] pages = {pool.tryAllocate(1024), pool.tryAllocate(1024)};
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return pool.awaitPages(1, TimeUnit.SECONDS.toNanos(30));
      } catch (InterruptedException e) {
        return false;
      }
    });
    pool.release(pages, 0, 1);
    assertTrue(waiter.get(30, TimeUnit.SECONDS));
  }

  @Test
  void aWaitThatRunsOutMarksThePoolExhaustedUntilARelease() throws Exception {
    BufferPool pool = new BufferPool(1024, 1024, 1024);
    byte[][] pages = {pool.tryAllocate(1024)};
    assertFalse(pool.awaitPages(1, TimeUnit.MILLISECONDS.toNanos(1)));
    assertTrue(pool.exhausted());
    pool.release(pages, 0, 1);
    assertFalse(pool.exhausted());
  }

  @Test
  void aClosedPoolKeepsNoPagesForReuse() {
    BufferPool pool = new BufferPool(64 * 1024, 1024, 1024);
    byte[][] pages = {pool.tryAllocate(1024), pool.tryAllocate(1024), pool.tryAllocate(1024)};
    pool.release(pages, 0, 1);
    assertEquals(1024, pool.freeBytes());
    pool.close();
    assertEquals(0, pool.freeBytes(), "the free list is let go at close");
    pool.release(pages, 1, 2);
    assertEquals(0, pool.freeBytes(), "pages released after close are not kept");
    assertEquals(0, pool.usedBytes());
  }
}
