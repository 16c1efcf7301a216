package dev.tributary.testkit;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The deliberately broken types {@link BadInputs} makes its values of. Package-private, stateless. */
final class BadValues {

  private BadValues() {}

  /** A value whose {@code toString()} throws the given exception or error. */
  static final class ToStringThrows {
    private final Throwable failure;

    ToStringThrows(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public String toString() {
      if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      }
      throw (Error) failure;
    }

    @Override
    public int hashCode() {
      return 7;
    }
  }

  /** A value whose {@code toString()} recurses until the stack overflows. */
  static final class ToStringRecurses {
    @Override
    public String toString() {
      return "again " + this;
    }
  }

  static final class ToStringNull {
    @Override
    public String toString() {
      return null;
    }
  }

  static final class ToStringHuge {
    @Override
    public String toString() {
      return BadInputs.hugeString();
    }
  }

  /** A map whose entry iterator fails as if another thread had changed it. */
  static final class ThrowingMap extends AbstractMap<String, Object> {
    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return true;
            }

            @Override
            public Entry<String, Object> next() {
              throw new ConcurrentModificationException("changed while iterated");
            }
          };
        }

        @Override
        public int size() {
          return 3;
        }
      };
    }

    @Override
    public String toString() {
      return "ThrowingMap";
    }
  }

  /** A map whose {@code size()} says one thing and whose iterator yields another: {@code k0=0, k1=1, ...}. */
  static final class MisreportingMap extends AbstractMap<String, Object> {
    private final int size;
    private final int entries;

    MisreportingMap(int size, int entries) {
      this.size = size;
      this.entries = entries;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          List<Entry<String, Object>> list = new ArrayList<>();
          for (int i = 0; i < entries; i++) {
            list.add(new SimpleImmutableEntry<>("k" + i, i));
          }
          return list.iterator();
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
  }

  /** A collection whose {@code size()} says one thing and whose iterator yields another: 0, 1, .... */
  static final class MisreportingList extends AbstractCollection<Object> {
    private final int size;
    private final int elements;

    MisreportingList(int size, int elements) {
      this.size = size;
      this.elements = elements;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Object> iterator() {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < elements; i++) {
        list.add(i);
      }
      return list.iterator();
    }
  }
}
