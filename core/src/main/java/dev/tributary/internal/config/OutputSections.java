package dev.tributary.internal.config;

import dev.tributary.Outputs;
import dev.tributary.Tributary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code <match>} sections into outputs and routes: {@code @type forward}, {@code stdout},
 * {@code file}, {@code null}, and {@code copy} with a {@code <store>} per output. An output is named
 * by its {@code @id}, else by its type ({@code forward}, then {@code forward-2}, ...), the name
 * {@code metrics().output(name)} takes. Not thread safe: one per file.
 */
final class OutputSections {

  private static final String TYPES = "forward, stdout, file, copy or null";

  private final Tributary.Builder b;
  private final Shared shared;
  private final Set<String> names = new HashSet<>();
  private ConfigElement firstBuffer;
  private String firstBufferType;

  OutputSections(Tributary.Builder b, Shared shared) {
    this.b = b;
    this.shared = shared;
  }

  /** Declares the outputs of one {@code <match>} and routes its pattern to them. */
  void match(ConfigElement match) {
    List<String> outputs = new ArrayList<>();
    String type = match.type().trim();
    if (type.equals("copy")) {
      String mode = match.get("copy_mode");
      if (mode != null && !List.of("no_copy", "shallow", "deep", "marshal").contains(mode.trim())) {
        throw match.bad("copy_mode", mode, "no_copy, shallow, deep or marshal (each output gets its own bytes)");
      }
      List<ConfigElement> stores = match.sections("store");
      if (stores.isEmpty()) {
        throw match.error("store", match.describe() + " with @type copy needs at least one <store>");
      }
      for (ConfigElement store : stores) {
        String arg = store.arg().trim();
        if (!arg.isEmpty() && !arg.equals("ignore_error")) {
          throw store.error(arg, "<store " + arg + ">: only <store> or <store ignore_error> (an output's failure"
              + " never holds back another)");
        }
        outputs.add(output(store, store.type().trim()));
      }
      match.get("@id");
      match.checkAllRead("@type copy, @id, copy_mode, <store>");
    } else {
      outputs.add(output(match, type));
    }
    String pattern = match.arg().trim();
    if (pattern.isEmpty()) {
      pattern = "**";
    }
    String p = pattern;
    ForwardSection.applying(match, "@type", () -> b.match(p, outputs.toArray(new String[0])));
  }

  private String output(ConfigElement e, String type) {
    String name = name(e, type);
    String bufferType = BufferSection.typeOf(e);
    if (firstBuffer == null) {
      firstBuffer = e;
      firstBufferType = bufferType;
    } else if (!bufferType.equals(firstBufferType)) {
      throw e.error("buffer", "output " + name + " has a " + bufferType + " buffer but the output on line "
          + firstBuffer.line() + " a " + firstBufferType + " one: with a file buffer every output keeps its chunks"
          + " under its path (<path>/<output>/), so give every output <buffer> @type file with the same path");
    }
    switch (type) {
      case "forward" -> {
        Outputs.Forward f = Outputs.forward();
        ForwardSection.apply(e, ForwardSection.of(f), b, shared);
        declare(e, name, f);
      }
      case "stdout" -> {
        Outputs.Stdout s = Outputs.stdout();
        buffer(e, s, false);
        e.checkAllRead("@type, @id, <buffer>");
        declare(e, name, s);
      }
      case "file" -> {
        Outputs.File f = Outputs.file(Path.of(e.required("path")));
        if (e.has("max_file_size")) {
          long n = e.size("max_file_size", 0);
          ForwardSection.applying(e, "max_file_size", () -> f.maxFileBytes(n));
        }
        String append = e.get("append");
        if (append != null && !e.bool("append", true)) {
          throw e.bad("append", append, "true: the file output always appends to the current file");
        }
        ConfigElement buffer = e.section("buffer");
        if (buffer != null) {
          Duration timekey = buffer.time("timekey", null);
          if (timekey != null) {
            ForwardSection.applying(buffer, "timekey", () -> f.rotateInterval(timekey));
          }
          String utc = buffer.get("timekey_use_utc");
          if (utc != null && !buffer.bool("timekey_use_utc", true)) {
            throw buffer.bad("timekey_use_utc", utc, "true: rotation periods are counted in UTC");
          }
          BufferSection.apply(buffer, BufferTarget.of(f), b, shared, true);
        }
        e.checkAllRead("@type, @id, path, append true, max_file_size, <buffer> (timekey)");
        declare(e, name, f);
      }
      case "null" -> {
        Outputs.Null n = Outputs.nullOutput();
        buffer(e, n, false);
        e.checkAllRead("@type, @id, <buffer>");
        declare(e, name, n);
      }
      default -> throw e.bad("@type", type, TYPES);
    }
    return name;
  }

  private void buffer(ConfigElement e, Outputs.Spec<?> spec, boolean timeKeyed) {
    ConfigElement buffer = e.section("buffer");
    if (buffer != null) {
      BufferSection.apply(buffer, BufferTarget.of(spec), b, shared, timeKeyed);
    }
  }

  private void declare(ConfigElement e, String name, Outputs.Spec<?> spec) {
    ForwardSection.applying(e, e.has("@id") ? "@id" : "@type", () -> b.output(name, spec));
  }

  private String name(ConfigElement e, String type) {
    String id = e.get("@id");
    if (id != null) {
      String n = id.trim();
      if (!names.add(n)) {
        throw e.bad("@id", id, "unique: another output already has it");
      }
      return n;
    }
    String n = type;
    for (int i = 2; names.contains(n); i++) {
      n = type + "-" + i;
    }
    names.add(n);
    return n;
  }
}
