package dev.tributary.internal.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes are tried in order; the first that takes a tag gives all its destinations. */
class RouterTest {

  private static Router.Route<String> route(String pattern, String... to) {
    return new Router.Route<>(TagPattern.compile(pattern), to);
  }

  @Test
  void theFirstRouteThatFitsWinsEvenWhenALaterOneFitsToo() {
    Router<String> r = new Router<>(List.of(route("app.audit.**", "archive", "aggregators"),
        route("app.**", "aggregators"), route("**", "console")), new String[0]);
    assertArrayEquals(new String[] {"archive", "aggregators"}, r.route("app.audit.login"));
    assertArrayEquals(new String[] {"aggregators"}, r.route("app.web"));
    assertArrayEquals(new String[] {"console"}, r.route("sys.kernel"));
  }

  @Test
  void aTagNoRouteTakesGetsTheEmptyAnswer() {
    String[] none = new String[0];
    Router<String> r = new Router<>(List.of(route("app.**", "a")), none);
    assertSame(none, r.route("sys.kernel"));
    assertSame(none, r.route("sys.kernel"), "cached");
  }

  @Test
  void answersStayRightPastTheCacheSize() {
    Router<String> r = new Router<>(List.of(route("t.{0,2,4,6,8}*", "even"), route("**", "odd")), new String[0]);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < Router.CACHE_SIZE * 3; i++) {
        String tag = "t." + (i % 10) + i;
        assertArrayEquals(new String[] {i % 2 == 0 ? "even" : "odd"}, r.route(tag), tag);
      }
    }
  }
}
