package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

/** The reused-buffer formatting gives exactly what SLF4J's own MessageFormatter gives. */
class Slf4jMessageFormatTest {

  private static void same(String pattern, Object... args) {
    StringBuilder sb = new StringBuilder();
    Slf4jMessageFormat.format(pattern, args, sb);
    assertEquals(MessageFormatter.arrayFormat(pattern, args).getMessage(), sb.toString(), pattern);
  }

  @Test
  void matchesSlf4jForPlaceholdersEscapesAndArrays() {
    same("no placeholders", 1);
    same("{}", "only");
    same("a {} b {} c", 1, 2L);
    same("too few {} {} {}", "x");
    same("too many {}", "x", "y");
    same("escaped \\{} then {}", "x");
    same("double escaped \\\\{} here", "x");
    same("{}{}{}", null, true, 'c');
    same("unclosed { and {", "x");
    same("{} and {}", new int[] {1, 2}, new String[] {"a", "b"});
    same("{}", (Object) new Object[] {new long[] {3}, new double[] {1.5}, new boolean[] {true}});
    same("{}", (Object) new byte[] {1}, new char[] {'q'}, new short[] {4}, new float[] {2.5f});
    Object[] cyclic = new Object[2];
    cyclic[0] = "self";
    cyclic[1] = cyclic;
    same("{}", (Object) cyclic);
    same("list {} map {}", List.of(1, 2), java.util.Map.of("k", "v"));
  }
}
