package dev.tributary.internal.forward;

/**
 * The shared-key handshake of Fluentd's {@code <security>}: immutable. The key and the password
 * never appear in {@link #toString()}, in exceptions or in reports.
 *
 * @param sharedKey the key both sides know
 * @param selfHostname this client's host name, sent in PING and part of its digest
 * @param username empty without user authentication
 * @param password empty without user authentication
 */
public record SharedKeySettings(String sharedKey, String selfHostname, String username, String password) {

  @Override
  public String toString() {
    return "SharedKeySettings{selfHostname=" + selfHostname
        + (username.isEmpty() ? "" : ", username=" + username) + ", sharedKey=***}";
  }
}
