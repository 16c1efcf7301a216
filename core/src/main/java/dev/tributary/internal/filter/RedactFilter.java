package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks secrets anywhere in a record, nested maps and lists included: the whole value of a field
 * whose name is one of {@code keys} (compared without case) becomes the mask; inside every
 * string, e-mail addresses keep only their domain ({@code ****@example.com}), card numbers (13 to
 * 19 digits, spaces or dashes between, passing the Luhn check) keep only their last four digits
 * ({@code **** **** **** 1111}), and each match of a custom {@code pattern} becomes the mask.
 * Strings without an {@code @} and without a run of 13 digits are passed over without a regular
 * expression, looking at about one character in thirteen ({@link #mayHoldCard}). Immutable,
 * thread safe.
 *
 * <p>{@link #onError()} is {@link OnError#DROP} by default: an event whose masking failed must not
 * leave unmasked.
 */
public final class RedactFilter implements Filter {

  /** What a masked value becomes unless {@code mask} says otherwise. */
  public static final String DEFAULT_MASK = "****";

  private static final Pattern EMAIL = Pattern.compile(
      "[A-Za-z0-9._%+\\-]+@([A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?)+)");

  private final Set<String> keys;
  /** Bit n set: some key is n characters long (n < 64), so most field names are passed over at once. */
  private final long keyLengths;
  private final String mask;
  private final boolean email;
  private final boolean cards;
  private final Pattern[] patterns;
  private final OnError onError;

  public RedactFilter(List<String> keys, String mask, boolean email, boolean cards, List<Pattern> patterns,
      OnError onError) {
    this.keys = keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    long lengths = 0;
    for (String k : this.keys) {
      lengths |= k.length() < 64 ? 1L << k.length() : 1L << 63;
    }
    this.keyLengths = lengths;
    this.mask = mask;
    this.email = email;
    this.cards = cards;
    this.patterns = patterns.toArray(new Pattern[0]);
    this.onError = onError;
  }

  @Override
  public boolean filter(Event event) {
    redactMap(event.record(), 0);
    return true;
  }

  @SuppressWarnings("unchecked")
  private void redactMap(Map<?, ?> m, int depth) {
    if (m instanceof RecordMap) { // the pipeline's own: read and written by position
      RecordMap r = (RecordMap) m;
      for (int i = 0, n = r.size(); i < n; i++) {
        Object v = r.valueAt(i);
        Object x = redactField(r.keyAt(i), v, depth);
        if (x != v) {
          r.setValueAt(i, x);
        }
      }
      return;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object v = e.getValue();
      Object x = redactField(e.getKey(), v, depth);
      if (x != v) {
        ((Map.Entry<Object, Object>) e).setValue(x);
      }
    }
  }

  /** A field's value masked: the whole of it when the key is one of {@code keys}, else its secrets. */
  private Object redactField(Object k, Object v, int depth) {
    if (k instanceof String && isKey((String) k)) {
      return v == null ? null : mask;
    }
    return redactValue(v, depth);
  }

  private boolean isKey(String k) {
    int len = k.length();
    if ((keyLengths & (len < 64 ? 1L << len : 1L << 63)) == 0) {
      return false;
    }
    return keys.contains(k) || keys.contains(k.toLowerCase(Locale.ROOT));
  }

  @SuppressWarnings("unchecked")
  private Object redactValue(Object v, int depth) {
    if (v instanceof String) {
      return redactString((String) v);
    }
    if (Records.leaf(v) || depth > 64) {
      return v;
    }
    if (v instanceof Map) {
      redactMap((Map<?, ?>) v, depth + 1);
    } else if (v instanceof List) {
      ListIterator<Object> it = ((List<Object>) v).listIterator();
      while (it.hasNext()) {
        Object o = it.next();
        Object r = redactValue(o, depth + 1);
        if (r != o) {
          it.set(r);
        }
      }
    }
    return v;
  }

  /** The string with its secrets masked, or the same instance when it has none. */
  String redactString(String s) {
    String out = s;
    if (email && s.indexOf('@') >= 0) {
      out = maskEmails(out);
    }
    if (cards && mayHoldCard(out)) {
      out = maskCards(out);
    }
    for (Pattern p : patterns) {
      Matcher m = p.matcher(out);
      if (m.find()) {
        out = m.replaceAll(Matcher.quoteReplacement(mask));
      }
    }
    return out;
  }

  /** The fewest characters a card number takes: 13 digits. */
  private static final int CARD_MIN = 13;

  /**
   * Whether {@code s} has a run of digits, spaces and dashes with at least 13 digits in it: a card
   * number needs one. Such a run is at least 13 characters long, so looking at every 13th
   * character finds it; only where one of those is a digit, a space or a dash is the run around it
   * read. Prose is passed over at about one character in thirteen.
   */
  static boolean mayHoldCard(String s) {
    int n = s.length();
    int i = CARD_MIN - 1;
    while (i < n) {
      if (!cardChar(s.charAt(i))) {
        i += CARD_MIN;
        continue;
      }
      int from = i;
      while (from > 0 && cardChar(s.charAt(from - 1))) {
        from--;
      }
      int to = i + 1;
      while (to < n && cardChar(s.charAt(to))) {
        to++;
      }
      if (to - from >= CARD_MIN) {
        int digits = 0;
        for (int j = from; j < to; j++) {
          if (digit(s.charAt(j)) && ++digits >= CARD_MIN) {
            return true;
          }
        }
      }
      // s.charAt(to) is not part of a run: the next run of 13 or more starts after it and covers to + 13
      i = to + CARD_MIN;
    }
    return false;
  }

  private static boolean cardChar(char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == '-';
  }

  private String maskEmails(String s) {
    Matcher m = EMAIL.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int last = 0;
    do {
      sb.append(s, last, m.start()).append(mask).append('@').append(m.group(1));
      last = m.end();
    } while (m.find());
    return sb.append(s, last, s.length()).toString();
  }

  /**
   * Runs of 13 to 19 digits, single spaces or dashes allowed between digits, that pass the Luhn
   * check: a hand-written scan, since a regular expression here costs microseconds per string.
   */
  private static String maskCards(String s) {
    StringBuilder sb = null;
    int last = 0;
    int n = s.length();
    int i = 0;
    while (i < n) {
      if (!digit(s.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      int end = i + 1; // after the last digit of the run
      int digits = 1;
      int j = i + 1;
      while (j < n) {
        char c = s.charAt(j);
        if (digit(c)) {
          digits++;
          end = ++j;
        } else if ((c == ' ' || c == '-') && j + 1 < n && digit(s.charAt(j + 1))) {
          j++;
        } else {
          break;
        }
      }
      if (digits >= 13 && digits <= 19) {
        String number = s.substring(start, end);
        if (luhn(number)) {
          if (sb == null) {
            sb = new StringBuilder(n);
          }
          sb.append(s, last, start).append(keepLastFour(number));
          last = end;
        }
      }
      i = end;
    }
    return sb == null ? s : sb.append(s, last, n).toString();
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Every digit but the last four as {@code *}; spaces and dashes stay. */
  static String keepLastFour(String number) {
    char[] c = number.toCharArray();
    int seen = 0;
    for (int i = c.length - 1; i >= 0; i--) {
      if (c[i] >= '0' && c[i] <= '9' && ++seen > 4) {
        c[i] = '*';
      }
    }
    return new String(c);
  }

  static boolean luhn(String number) {
    int sum = 0;
    boolean twice = false;
    for (int i = number.length() - 1; i >= 0; i--) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  @Override
  public OnError onError() {
    return onError;
  }

  @Override
  public String toString() {
    return "redact";
  }
}
