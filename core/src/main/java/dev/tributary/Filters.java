package dev.tributary;

import dev.tributary.internal.filter.GrepFilter;
import dev.tributary.internal.filter.HostName;
import dev.tributary.internal.filter.KubernetesFilter;
import dev.tributary.internal.filter.KubernetesMetadata;
import dev.tributary.internal.filter.RecordTransformerFilter;
import dev.tributary.internal.filter.RedactFilter;
import dev.tributary.internal.filter.RewriteTagFilter;
import dev.tributary.internal.filter.SampleFilter;
import dev.tributary.internal.filter.ThrottleFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The built-in {@link Filter}s, named after their Fluentd / Fluent Bit counterparts, each made by
 * a builder: {@link #recordTransformer()}, {@link #grep()}, {@link #redact()}, {@link #sample()},
 * {@link #throttle()}, {@link #kubernetes()}, {@link #rewriteTag()}. Every builder has typed
 * methods and {@link FilterBuilder#param(String, String)}, which takes the parameters by their
 * Fluentd / Fluent Bit names as a configuration file gives them ({@code remove_keys}, {@code
 * sampling_percentage}, {@code rule} ...), and {@link FilterBuilder#section(String, Map)} for
 * sections such as {@code <record>} and {@code <regexp>}. {@link #of(String, Map)} makes one from
 * its {@code @type} and parameters.
 *
 * <pre>{@code
 * Filter mask = Filters.redact().keys("password", "token").build();
 * Filter noDebug = Filters.grep().exclude("level", "^DEBUG$").build();
 * Filter enrich = Filters.recordTransformer()
 *     .record("host", "${hostname}")
 *     .record("service", "${tag_parts[0]}")
 *     .removeKeys("internal_id")
 *     .build();
 * Filter same = Filters.of("sample", Map.of("sampling_percentage", "10", "key", "$.trace.id"));
 * }</pre>
 *
 * <p>Builders are not thread safe; the filters they build are immutable (but for the counters of
 * {@code sample} and {@code throttle}) and thread safe. Each builder checks a value when it is set
 * and names the parameter in its {@link IllegalArgumentException}; {@code build()} checks them
 * together.
 */
public final class Filters {

  private Filters() {}

  /** Fluentd's {@code record_transformer}. */
  public static RecordTransformer recordTransformer() {
    return new RecordTransformer();
  }

  /** Fluentd's {@code grep}. */
  public static Grep grep() {
    return new Grep();
  }

  /** {@code redact}: masks secrets by key name and inside strings. */
  public static Redact redact() {
    return new Redact();
  }

  /** {@code sample}: keeps 1 of N, or a percentage, optionally the same decision per field value. */
  public static Sample sample() {
    return new Sample();
  }

  /** Fluent Bit's {@code throttle}, per tag. */
  public static Throttle throttle() {
    return new Throttle();
  }

  /** Fluent Bit's {@code kubernetes}, from the downward API. */
  public static Kubernetes kubernetes() {
    return new Kubernetes();
  }

  /** Fluent Bit's {@code rewrite_tag}. */
  public static RewriteTag rewriteTag() {
    return new RewriteTag();
  }

  /** The {@code @type} names {@link #builder(String)} knows. */
  public static final List<String> TYPES =
      List.of("record_transformer", "grep", "redact", "sample", "throttle", "kubernetes", "rewrite_tag");

  /**
   * The builder of a built-in by its {@code @type}.
   *
   * @throws IllegalArgumentException for a type that is not built in, listing those that are
   */
  public static FilterBuilder<?> builder(String type) {
    switch (type == null ? "" : type) {
      case "record_transformer": return recordTransformer();
      case "grep": return grep();
      case "redact": return redact();
      case "sample": return sample();
      case "throttle": return throttle();
      case "kubernetes": return kubernetes();
      case "rewrite_tag": return rewriteTag();
      default:
        throw new IllegalArgumentException("unknown filter type \"" + type + "\"; built in: " + TYPES);
    }
  }

  /**
   * A built-in by its {@code @type} and parameters (no sections):
   * {@code Filters.of("throttle", Map.of("rate", "100", "interval", "1s"))}.
   *
   * @throws IllegalArgumentException for an unknown type or parameter, or a bad value, naming it
   */
  public static Filter of(String type, Map<String, String> params) {
    FilterBuilder<?> b = builder(type);
    params.forEach(b::param);
    return b.build();
  }

  /**
   * What every built-in's builder has: parameters by their Fluentd / Fluent Bit names, sections,
   * {@code onError}, and {@code build()}.
   */
  public abstract static class FilterBuilder<B extends FilterBuilder<B>> {

    Filter.OnError onError;
    final String type;

    FilterBuilder(String type) {
      this.type = type;
    }

    @SuppressWarnings("unchecked")
    B self() {
      return (B) this;
    }

    /** What happens to an event when the filter throws; each built-in documents its default. */
    public B onError(Filter.OnError onError) {
      this.onError = notNull("onError", onError);
      return self();
    }

    /**
     * Sets a parameter by its Fluentd / Fluent Bit name (case does not matter; {@code on_error}
     * takes {@code keep} or {@code drop} for every filter). A list parameter given twice adds to
     * the list.
     *
     * @throws IllegalArgumentException for a parameter this filter does not have, or a bad value
     */
    public B param(String name, String value) {
      String n = notNull("parameter name", name).trim().toLowerCase(Locale.ROOT);
      if (value == null) {
        throw new IllegalArgumentException(type + ": " + n + " needs a value");
      }
      if (n.equals("on_error")) {
        return onError(ConfigValues.enumValue(n, value, Filter.OnError.class));
      }
      if (!setParam(n, value.trim())) {
        throw new IllegalArgumentException(type + " has no parameter \"" + name + "\"; it has " + params());
      }
      return self();
    }

    /**
     * Adds a section ({@code <record>}, {@code <regexp>} ...) with its parameters.
     *
     * @throws IllegalArgumentException for a section this filter does not have, or bad content
     */
    public B section(String name, Map<String, String> params) {
      if (!setSection(notNull("section name", name), notNull("section parameters", params))) {
        throw new IllegalArgumentException(type + " has no <" + name + "> section");
      }
      return self();
    }

    abstract boolean setParam(String name, String value);

    boolean setSection(String name, Map<String, String> params) {
      return false;
    }

    abstract List<String> params();

    /** The filter, with every value checked. */
    public abstract Filter build();

    Filter withOnError(Filter f) {
      return onError == null || onError == f.onError() ? f : f.withOnError(onError);
    }
  }

  /**
   * {@code record_transformer}: {@code <record>} fields set from templates ({@link #record}),
   * {@code remove_keys}, {@code keep_keys} with {@code renew_record}, {@code auto_typecast}
   * (default {@code true}: a value that is one placeholder alone keeps its type), and Tributary's
   * {@code <rename>} ({@link #rename}). Keys may be nested: {@code $.user.id}. Placeholders:
   * {@code ${hostname}}, {@code ${tag}}, {@code ${tag_parts[N]}} (negative from the end), {@code
   * ${tag_prefix[N]}}, {@code ${tag_suffix[N]}}, {@code ${env:NAME}}, {@code ${record["key"]}}
   * (nested: {@code ${record["user"]["id"]}}). On error: keep.
   */
  public static final class RecordTransformer extends FilterBuilder<RecordTransformer> {
    private final Map<String, String> record = new LinkedHashMap<>();
    private final Map<String, String> rename = new LinkedHashMap<>();
    private final List<String> removeKeys = new ArrayList<>();
    private final List<String> keepKeys = new ArrayList<>();
    private boolean renewRecord;
    private boolean autoTypecast = true;
    private Function<String, String> env = System::getenv;
    private String hostname;

    RecordTransformer() {
      super("record_transformer");
    }

    /** Sets field {@code key} to {@code template} (a {@code <record>} entry); the last one for a key wins. */
    public RecordTransformer record(String key, String template) {
      record.put(notEmpty("record key", key), notNull("record value of " + key, template));
      return this;
    }

    /** Moves field {@code from} to {@code to} (either may be nested), before the {@code <record>} fields are set. */
    public RecordTransformer rename(String from, String to) {
      rename.put(notEmpty("rename from", from), notEmpty("rename to", to));
      return this;
    }

    /** Fields to remove, after the {@code <record>} fields are set. */
    public RecordTransformer removeKeys(String... keys) {
      removeKeys.addAll(Arrays.asList(keys));
      return this;
    }

    /** With {@link #renewRecord}: the fields of the old record to keep. */
    public RecordTransformer keepKeys(String... keys) {
      keepKeys.addAll(Arrays.asList(keys));
      return this;
    }

    /** Starts from an empty record (but for {@link #keepKeys}) instead of the event's. Default false. */
    public RecordTransformer renewRecord(boolean renew) {
      this.renewRecord = renew;
      return this;
    }

    /** A value that is one placeholder alone keeps its type. Default true. */
    public RecordTransformer autoTypecast(boolean typecast) {
      this.autoTypecast = typecast;
      return this;
    }

    /** Where {@code ${env:NAME}} is looked up (read when the filter is built). Default the environment. */
    public RecordTransformer environment(Function<String, String> env) {
      this.env = notNull("environment", env);
      return this;
    }

    /** The value of {@code ${hostname}}. Default the local host name, looked up once. */
    public RecordTransformer hostname(String hostname) {
      this.hostname = notEmpty("hostname", hostname);
      return this;
    }

    @Override
    boolean setParam(String name, String value) {
      switch (name) {
        case "remove_keys": removeKeys.addAll(list(value)); return true;
        case "keep_keys": keepKeys.addAll(list(value)); return true;
        case "renew_record": renewRecord = ConfigValues.bool(name, value); return true;
        case "auto_typecast": autoTypecast = ConfigValues.bool(name, value); return true;
        case "enable_ruby":
          if (ConfigValues.bool(name, value)) {
            throw new IllegalArgumentException("record_transformer: enable_ruby is not supported; Ruby is not"
                + " evaluated (use the ${...} placeholders)");
          }
          return true;
        default: return false;
      }
    }

    @Override
    boolean setSection(String name, Map<String, String> params) {
      if (name.equals("record")) {
        params.forEach(this::record);
        return true;
      }
      if (name.equals("rename")) {
        params.forEach(this::rename);
        return true;
      }
      return false;
    }

    @Override
    List<String> params() {
      return List.of("<record>", "<rename>", "remove_keys", "keep_keys", "renew_record", "auto_typecast");
    }

    @Override
    public Filter build() {
      if (record.isEmpty() && rename.isEmpty() && removeKeys.isEmpty() && !renewRecord) {
        throw new IllegalArgumentException("record_transformer does nothing: give <record>, <rename>,"
            + " remove_keys or renew_record");
      }
      if (!keepKeys.isEmpty() && !renewRecord) {
        throw new IllegalArgumentException("record_transformer: keep_keys needs renew_record true");
      }
      return withOnError(new RecordTransformerFilter(record, removeKeys, keepKeys, rename, renewRecord,
          autoTypecast, hostname != null ? hostname : HostName.get(), env));
    }
  }

  /**
   * {@code grep}: {@link #regexp} (all must match), {@link #exclude} (any one drops), and {@link
   * #and} / {@link #or} blocks, as Fluentd's {@code <regexp>}, {@code <exclude>}, {@code <and>},
   * {@code <or>}. Keys may be nested ({@code $.user.id}); a pattern may be written {@code /.../}
   * (with flags {@code i}, {@code m}, {@code x}). Also Fluent Bit's {@code regex KEY REGEX}, {@code
   * exclude KEY REGEX} and {@code logical_op and|or}, and Fluentd's older {@code regexpN} / {@code
   * excludeN} ({@code "key pattern"}). On error: keep.
   */
  public static final class Grep extends FilterBuilder<Grep> {
    private final List<GrepFilter.Condition> regexps = new ArrayList<>();
    private final List<GrepFilter.Condition> excludes = new ArrayList<>();
    private final List<GrepFilter.Block> blocks = new ArrayList<>();
    private String logicalOp = "legacy";

    Grep() {
      super("grep");
    }

    /** Keeps only events whose {@code key} matches {@code pattern} (with the other regexps: all must). */
    public Grep regexp(String key, String pattern) {
      regexps.add(new GrepFilter.Condition(notEmpty("regexp key", key), pattern, "grep regexp " + key));
      return this;
    }

    /** Drops events whose {@code key} matches {@code pattern} (with the other excludes: any one). */
    public Grep exclude(String key, String pattern) {
      excludes.add(new GrepFilter.Condition(notEmpty("exclude key", key), pattern, "grep exclude " + key));
      return this;
    }

    /** An {@code <and>} block: regexps that must all match, or excludes that drop when all match. */
    public Grep and(Consumer<Block> block) {
      return block(true, block);
    }

    /** An {@code <or>} block: regexps of which one must match, or excludes of which any one drops. */
    public Grep or(Consumer<Block> block) {
      return block(false, block);
    }

    private Grep block(boolean and, Consumer<Block> fill) {
      Block b = new Block();
      notNull("block", fill).accept(b);
      blocks.add(b.build(and));
      return this;
    }

    /** The conditions of one {@code <and>} / {@code <or>} block: all regexps or all excludes. */
    public static final class Block {
      private final List<GrepFilter.Condition> regexps = new ArrayList<>();
      private final List<GrepFilter.Condition> excludes = new ArrayList<>();

      Block() {}

      public Block regexp(String key, String pattern) {
        regexps.add(new GrepFilter.Condition(notEmpty("regexp key", key), pattern, "grep regexp " + key));
        return this;
      }

      public Block exclude(String key, String pattern) {
        excludes.add(new GrepFilter.Condition(notEmpty("exclude key", key), pattern, "grep exclude " + key));
        return this;
      }

      /** A {@code <regexp>} or {@code <exclude>} section: {@code key} and {@code pattern}. */
      public Block section(String name, Map<String, String> params) {
        String[] kp = keyPattern(name, params);
        return name.equals("regexp") ? regexp(kp[0], kp[1]) : exclude(kp[0], kp[1]);
      }

      GrepFilter.Block build(boolean and) {
        if (!regexps.isEmpty() && !excludes.isEmpty()) {
          throw new IllegalArgumentException("grep: an <" + (and ? "and" : "or") + "> block holds <regexp>s or"
              + " <exclude>s, not both");
        }
        return new GrepFilter.Block(and, !excludes.isEmpty(), regexps.isEmpty() ? excludes : regexps);
      }
    }

    private static String[] keyPattern(String section, Map<String, String> params) {
      if (!section.equals("regexp") && !section.equals("exclude")) {
        throw new IllegalArgumentException("grep: <" + section + "> is not a condition; use <regexp> or <exclude>");
      }
      for (String k : params.keySet()) {
        if (!k.equals("key") && !k.equals("pattern")) {
          throw new IllegalArgumentException("grep: <" + section + "> has no parameter \"" + k + "\"; it has key, pattern");
        }
      }
      if (params.get("key") == null || params.get("pattern") == null) {
        throw new IllegalArgumentException("grep: <" + section + "> needs key and pattern, was " + params);
      }
      return new String[] {params.get("key"), params.get("pattern")};
    }

    private static String[] pair(String name, String value) {
      String v = value.trim();
      int sp = v.indexOf(' ');
      if (sp <= 0) {
        throw new IllegalArgumentException("grep: " + name + " must be \"KEY PATTERN\", was \"" + value + "\"");
      }
      return new String[] {v.substring(0, sp), v.substring(sp + 1).trim()};
    }

    @Override
    boolean setParam(String name, String value) {
      if (name.equals("logical_op")) {
        String op = value.toLowerCase(Locale.ROOT);
        if (!List.of("and", "or", "legacy").contains(op)) {
          throw new IllegalArgumentException("grep: logical_op must be and, or or legacy, was \"" + value + "\"");
        }
        logicalOp = op;
        return true;
      }
      if (name.equals("regex") || name.matches("regexp[0-9]+")) {
        String[] p = pair(name, value);
        regexp(p[0], p[1]);
        return true;
      }
      if (name.equals("exclude") || name.matches("exclude[0-9]+")) {
        String[] p = pair(name, value);
        exclude(p[0], p[1]);
        return true;
      }
      return false;
    }

    @Override
    boolean setSection(String name, Map<String, String> params) {
      if (name.equals("regexp") || name.equals("exclude")) {
        String[] kp = keyPattern(name, params);
        if (name.equals("regexp")) {
          regexp(kp[0], kp[1]);
        } else {
          exclude(kp[0], kp[1]);
        }
        return true;
      }
      return false;
    }

    @Override
    List<String> params() {
      return List.of("<regexp>", "<exclude>", "<and>", "<or>", "regex", "exclude", "regexpN", "excludeN", "logical_op");
    }

    @Override
    public Filter build() {
      List<GrepFilter.Condition> r = new ArrayList<>(regexps);
      List<GrepFilter.Condition> e = new ArrayList<>(excludes);
      List<GrepFilter.Block> b = new ArrayList<>(blocks);
      if (!logicalOp.equals("legacy") && !(r.isEmpty() && e.isEmpty())) {
        if (!r.isEmpty() && !e.isEmpty()) {
          throw new IllegalArgumentException("grep: logical_op " + logicalOp + " combines regex or exclude"
              + " conditions, not both");
        }
        b.add(new GrepFilter.Block(logicalOp.equals("and"), r.isEmpty(), r.isEmpty() ? e : r));
        r.clear();
        e.clear();
      }
      return withOnError(new GrepFilter(r, e, b));
    }
  }

  /**
   * {@code redact}: {@code keys} (field names, any depth, case ignored) whose values become the
   * {@code mask} (default {@code ****}); {@code email} (default true): addresses in any string
   * become {@code ****@their.domain}; {@code card_numbers} (default true): 13 to 19 digits that
   * pass the Luhn check keep their last four ({@code **** **** **** 1111}); {@code pattern}
   * (repeatable): each match becomes the mask. On error: <b>drop</b> (an event whose masking
   * failed must not leave unmasked).
   */
  public static final class Redact extends FilterBuilder<Redact> {
    private final List<String> keys = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private String mask = RedactFilter.DEFAULT_MASK;
    private boolean email = true;
    private boolean cards = true;

    Redact() {
      super("redact");
    }

    /** Field names whose values are masked, wherever they are in the record. */
    public Redact keys(String... keys) {
      for (String k : keys) {
        this.keys.add(notEmpty("keys", k));
      }
      return this;
    }

    /** A regular expression whose matches inside strings are masked. */
    public Redact pattern(String regex) {
      patterns.add(compile("pattern", regex));
      return this;
    }

    /** What a masked value becomes. Default {@code ****}. */
    public Redact mask(String mask) {
      this.mask = notNull("mask", mask);
      return this;
    }

    /** Masks e-mail addresses in strings (the domain stays). Default true. */
    public Redact email(boolean email) {
      this.email = email;
      return this;
    }

    /** Masks card numbers in strings (the last four digits stay). Default true. */
    public Redact cardNumbers(boolean cards) {
      this.cards = cards;
      return this;
    }

    @Override
    boolean setParam(String name, String value) {
      switch (name) {
        case "keys": list(value).forEach(this::keys); return true;
        case "mask": mask(value); return true;
        case "email": email = ConfigValues.bool(name, value); return true;
        case "card_numbers": cards = ConfigValues.bool(name, value); return true;
        case "pattern": pattern(value); return true;
        default: return false;
      }
    }

    @Override
    List<String> params() {
      return List.of("keys", "mask", "email", "card_numbers", "pattern");
    }

    @Override
    public Filter build() {
      if (keys.isEmpty() && patterns.isEmpty() && !email && !cards) {
        throw new IllegalArgumentException("redact does nothing: give keys, pattern, email or card_numbers");
      }
      return new RedactFilter(keys, mask, email, cards, patterns, onError != null ? onError : Filter.OnError.DROP);
    }
  }

  /**
   * {@code sample}: {@code interval} N keeps 1 of every N events; {@code sampling_percentage} P
   * keeps P percent (0 to 100) at random; with {@code key} (a field, nested as {@code
   * $.trace.id}) the decision is a stable hash of the field's value, so equal values get equal
   * decisions everywhere (events without the field are decided as without a key). Dropped events
   * count as {@code FILTERED}. On error: keep.
   */
  public static final class Sample extends FilterBuilder<Sample> {
    private long interval;
    private double percentage = -1;
    private String key;

    Sample() {
      super("sample");
    }

    /** Keeps 1 of every {@code n} events. */
    public Sample interval(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("sample: interval must be >= 1, was " + n);
      }
      this.interval = n;
      return this;
    }

    /** Keeps this percentage of the events, 0 to 100. */
    public Sample percentage(double percent) {
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException("sample: sampling_percentage must be between 0 and 100, was " + percent);
      }
      this.percentage = percent;
      return this;
    }

    /** The field the decision is deterministic on. */
    public Sample key(String field) {
      this.key = notEmpty("key", field);
      return this;
    }

    @Override
    boolean setParam(String name, String value) {
      switch (name) {
        case "interval": interval(ConfigValues.integer(name, value)); return true;
        case "sampling_percentage":
          try {
            percentage(Double.parseDouble(value));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sample: sampling_percentage must be a number, was \"" + value + "\"");
          }
          return true;
        case "key": key(value); return true;
        default: return false;
      }
    }

    @Override
    List<String> params() {
      return List.of("interval", "sampling_percentage", "key");
    }

    @Override
    public Filter build() {
      if ((interval > 0) == (percentage >= 0)) {
        throw new IllegalArgumentException("sample needs exactly one of interval and sampling_percentage");
      }
      return withOnError(new SampleFilter(interval, Math.max(0, percentage), key));
    }
  }

  /**
   * {@code throttle}: each tag may average {@code rate} events per {@code interval} (default
   * {@code 1s}) over a sliding {@code window} of intervals (default {@code 5}); what is over is
   * dropped and counted as {@link DropReason#THROTTLED}, which the listener's summaries report. On
   * error: keep.
   */
  public static final class Throttle extends FilterBuilder<Throttle> {
    public static final int DEFAULT_WINDOW = 5;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private long rate;
    private int window = DEFAULT_WINDOW;
    private Duration interval = DEFAULT_INTERVAL;
    private LongSupplier nanoClock = System::nanoTime;

    Throttle() {
      super("throttle");
    }

    /** Events per interval, on average over the window. Required. */
    public Throttle rate(long rate) {
      if (rate < 1) {
        throw new IllegalArgumentException("throttle: rate must be >= 1, was " + rate);
      }
      this.rate = rate;
      return this;
    }

    /** Intervals the average is taken over. Default 5. */
    public Throttle window(int window) {
      if (window < 1) {
        throw new IllegalArgumentException("throttle: window must be >= 1, was " + window);
      }
      this.window = window;
      return this;
    }

    /** The length of one interval. Default 1 s. */
    public Throttle interval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("throttle: interval must be > 0, was " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** The clock the intervals are counted on, in nanoseconds (tests step it). Default {@link System#nanoTime()}. */
    public Throttle nanoClock(LongSupplier nanoClock) {
      this.nanoClock = notNull("nanoClock", nanoClock);
      return this;
    }

    @Override
    boolean setParam(String name, String value) {
      switch (name) {
        case "rate": rate(ConfigValues.integer(name, value)); return true;
        case "window": window(ConfigValues.integer(name, value)); return true;
        case "interval": interval(ConfigValues.duration(name, value)); return true;
        case "print_status": ConfigValues.bool(name, value); return true; // the summaries report drops
        default: return false;
      }
    }

    @Override
    List<String> params() {
      return List.of("rate", "window", "interval", "print_status");
    }

    @Override
    public Filter build() {
      if (rate < 1) {
        throw new IllegalArgumentException("throttle: rate is required");
      }
      return withOnError(new ThrottleFilter(rate, window, interval.toNanos(), nanoClock));
    }
  }

  /**
   * {@code kubernetes}: adds the pod's identity under {@code kubernetes} ({@code key}): {@code
   * pod_name}, {@code namespace_name}, {@code pod_ip}, {@code container_name}, {@code host} from
   * the variables {@code POD_NAME}, {@code POD_NAMESPACE}, {@code POD_IP}, {@code CONTAINER_NAME},
   * {@code NODE_NAME}, and {@code labels} / {@code annotations} (both default on, as in Fluent
   * Bit) from the files of a downward API volume at {@code podinfo_path} (default {@code
   * /etc/podinfo}). Read once, when built. On error: keep.
   */
  public static final class Kubernetes extends FilterBuilder<Kubernetes> {
    private String key = "kubernetes";
    private Path podinfo = Path.of(KubernetesMetadata.DEFAULT_PODINFO_PATH);
    private boolean labels = true;
    private boolean annotations = true;
    private Function<String, String> env = System::getenv;

    Kubernetes() {
      super("kubernetes");
    }

    /** The field the identity goes in. Default {@code kubernetes}. */
    public Kubernetes key(String key) {
      this.key = notEmpty("key", key);
      return this;
    }

    /** The directory of the downward API volume. Default {@code /etc/podinfo}. */
    public Kubernetes podinfoPath(Path dir) {
      this.podinfo = notNull("podinfo_path", dir);
      return this;
    }

    /** Adds the pod's labels. Default true. */
    public Kubernetes labels(boolean labels) {
      this.labels = labels;
      return this;
    }

    /** Adds the pod's annotations. Default true. */
    public Kubernetes annotations(boolean annotations) {
      this.annotations = annotations;
      return this;
    }

    /** Where the variables are read. Default the environment. */
    public Kubernetes environment(Function<String, String> env) {
      this.env = notNull("environment", env);
      return this;
    }

    @Override
    boolean setParam(String name, String value) {
      switch (name) {
        case "key": key(value); return true;
        case "podinfo_path": podinfoPath(Path.of(notEmpty(name, value))); return true;
        case "labels": labels = ConfigValues.bool(name, value); return true;
        case "annotations": annotations = ConfigValues.bool(name, value); return true;
        default: return false;
      }
    }

    @Override
    List<String> params() {
      return List.of("key", "podinfo_path", "labels", "annotations");
    }

    @Override
    public Filter build() {
      return withOnError(new KubernetesFilter(key, KubernetesMetadata.read(env, podinfo, labels, annotations)));
    }
  }

  /**
   * {@code rewrite_tag}: {@code rule}s {@code $KEY REGEX NEW_TAG KEEP} (repeatable, first match
   * wins). {@code NEW_TAG} may use {@code $TAG}, {@code $TAG[N]}, {@code $0}..{@code $9} and
   * record fields ({@code $level}, {@code $kubernetes['namespace_name']}). {@code KEEP false}: the
   * event goes on under the new tag; {@code true}: it goes on under its own tag and a copy under
   * the new one is emitted (counted as emitted), passing the filters after this one. On error
   * (a new tag that is not valid): keep.
   */
  public static final class RewriteTag extends FilterBuilder<RewriteTag> {
    private final List<RewriteTagFilter.Rule> rules = new ArrayList<>();

    RewriteTag() {
      super("rewrite_tag");
    }

    /** A rule as Fluent Bit writes it: {@code "$level ^(ERROR)$ alerts.$TAG false"}. */
    public RewriteTag rule(String rule) {
      rules.add(RewriteTagFilter.Rule.parse(rule));
      return this;
    }

    /** A rule from its parts: the field ({@code $level} or {@code level}), regex, new tag, keep. */
    public RewriteTag rule(String key, String regex, String newTag, boolean keep) {
      rules.add(new RewriteTagFilter.Rule(notEmpty("rule key", key), regex, notEmpty("rule new tag", newTag), keep,
          key + " " + regex + " " + newTag + " " + keep));
      return this;
    }

    @Override
    boolean setParam(String name, String value) {
      switch (name) {
        case "rule": rule(value); return true;
        case "emitter_name":
        case "emitter_storage.type":
        case "emitter_mem_buf_limit": return true; // Fluent Bit's re-emitter: nothing to set here
        default: return false;
      }
    }

    @Override
    List<String> params() {
      return List.of("rule", "emitter_name", "emitter_storage.type", "emitter_mem_buf_limit");
    }

    @Override
    public Filter build() {
      return withOnError(new RewriteTagFilter(rules));
    }
  }

  private static Pattern compile(String option, String regex) {
    try {
      return Pattern.compile(notEmpty(option, regex));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("redact: " + option + " \"" + regex + "\" is not a valid pattern: "
          + e.getDescription(), e);
    }
  }

  private static List<String> list(String value) {
    List<String> l = new ArrayList<>();
    for (String s : value.split(",")) {
      if (!s.isBlank()) {
        l.add(s.trim());
      }
    }
    return l;
  }

  private static <T> T notNull(String what, T value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return value;
  }

  private static String notEmpty(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty, was " + (value == null ? "null" : "\"" + value + "\""));
    }
    return value;
  }
}
