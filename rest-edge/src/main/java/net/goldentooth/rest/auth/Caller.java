package net.goldentooth.rest.auth;

/**
 * Who is calling, once authenticated.
 *
 * @param name how the tokens file or the certificate names the caller (never the token itself)
 * @param role what the caller may do
 * @param via  how the caller proved it: {@code token} or {@code certificate}
 */
public record Caller(String name, Role role, String via) {
}
