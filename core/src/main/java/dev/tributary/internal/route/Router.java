package dev.tributary.internal.route;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the destinations of a tag: the first route whose pattern fits wins, as Fluentd's {@code
 * <match>} sections do, and gives all its destinations (a copy to each). A tag no route takes gets
 * an empty array.
 *
 * <p>Thread safe. Answers are cached per tag, at most {@link #CACHE_SIZE} tags (the cache starts
 * over when full, so many distinct tags cost a pattern match each, not memory); a single route of
 * {@code **} answers without looking at the tag.
 *
 * <pre>{@code
 * Router<String> r = new Router<>(List.of(new Router.Route<>(TagPattern.compile("app.**"), new String[] {"a", "b"})),
 *     new String[0]);
 * r.route("app.web");  // {"a", "b"}
 * }</pre>
 *
 * @param <T> the destination type
 */
public final class Router<T> {

  /** Tags whose answer is kept. */
  public static final int CACHE_SIZE = 1024;

  /** A pattern and where what it takes goes. */
  public static final class Route<T> {
    final TagPattern pattern;
    final T[] destinations;

    public Route(TagPattern pattern, T[] destinations) {
      this.pattern = pattern;
      this.destinations = destinations;
    }
  }

  private final Route<T>[] routes;
  private final T[] none;
  /** The answer for every tag, when the first route takes every tag; else null. */
  private final T[] all;
  private final ConcurrentHashMap<String, T[]> cache = new ConcurrentHashMap<>();

  /** @param none the empty array returned for a tag no route takes */
  @SuppressWarnings("unchecked")
  public Router(List<Route<T>> routes, T[] none) {
    this.routes = routes.toArray(new Route[0]);
    this.none = none;
    this.all = !routes.isEmpty() && routes.get(0).pattern.matchesAll() ? routes.get(0).destinations : null;
  }

  /** The destinations of {@code tag}: shared arrays, never to be changed by the caller. */
  public T[] route(String tag) {
    T[] a = all;
    if (a != null) {
      return a;
    }
    T[] cached = cache.get(tag);
    if (cached != null) {
      return cached;
    }
    T[] found = match(tag);
    if (cache.size() >= CACHE_SIZE) {
      cache.clear();
    }
    cache.put(tag, found);
    return found;
  }

  private T[] match(String tag) {
    for (Route<T> r : routes) {
      if (r.pattern.matches(tag)) {
        return r.destinations;
      }
    }
    return none;
  }
}
