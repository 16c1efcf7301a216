package dev.tributary.logging;

/**
 * A field {@link LogEventMapping} writes, with the option that renames it and its default name;
 * the README's mapping table lists them in record order.
 */
public enum LogField {
  MESSAGE("messageField", "message"),
  LEVEL("levelField", "level"),
  ORIGINAL_LEVEL("originalLevelField", "original_level"),
  LOGGER("loggerField", "logger"),
  THREAD("threadField", "thread"),
  ERROR("errorField", "error"),
  ERROR_CLASS("errorClassField", "class"),
  ERROR_MESSAGE("errorMessageField", "message"),
  ERROR_STACK_TRACE("errorStackTraceField", "stack_trace"),
  MARKERS("markersField", "markers"),
  CALLER_CLASS("callerClassField", "caller_class"),
  CALLER_METHOD("callerMethodField", "caller_method"),
  CALLER_FILE("callerFileField", "caller_file"),
  CALLER_LINE("callerLineField", "caller_line"),
  HOST("hostField", "host"),
  SERVICE("serviceField", "service"),
  KUBERNETES("kubernetesField", "kubernetes");

  private final String option;
  private final String defaultName;

  LogField(String option, String defaultName) {
    this.option = option;
    this.defaultName = defaultName;
  }

  /** The option that renames this field, e.g. {@code messageField}. */
  public String option() {
    return option;
  }

  public String defaultName() {
    return defaultName;
  }

  /** Inside the {@code error} map rather than at the top level. */
  boolean nested() {
    return this == ERROR_CLASS || this == ERROR_MESSAGE || this == ERROR_STACK_TRACE;
  }
}
