package net.goldentooth.rest.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which role a request needs, from its method and path alone (pure). Open paths need nothing;
 * admin routes need admin; reads ({@code GET}, {@code HEAD}) need viewer; every other method needs
 * operator. A decision that depends on the body ({@code command_root}) is the resource's, through
 * {@link AuthGate}.
 *
 * <p>Paths are globs: {@code *} matches within one path segment, {@code **} matches across
 * segments. Admin routes are {@code "<METHOD> <glob>"} or just {@code "<glob>"} for any method.
 */
public final class AccessPolicy {

    /** Health and metrics stay open for probes and Prometheus. */
    public static final List<String> DEFAULT_OPEN = List.of("/q/health", "/q/health/**", "/q/metrics");

    private record Route(String method, Pattern path) {
        boolean matches(String requestMethod, String requestPath) {
            return (method == null || method.equals(requestMethod)) && path.matcher(requestPath).matches();
        }
    }

    private final List<Route> open;
    private final List<Route> admin;

    public AccessPolicy(List<String> openPaths, List<String> adminRoutes) {
        this.open = openPaths.stream().map(AccessPolicy::route).toList();
        this.admin = adminRoutes.stream().map(AccessPolicy::route).toList();
    }

    /** @return the role needed, or empty for an open path */
    public Optional<Role> required(String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        if (open.stream().anyMatch(r -> r.matches(m, path))) {
            return Optional.empty();
        }
        if (admin.stream().anyMatch(r -> r.matches(m, path))) {
            return Optional.of(Role.ADMIN);
        }
        return Optional.of(m.equals("GET") || m.equals("HEAD") ? Role.VIEWER : Role.OPERATOR);
    }

    private static Route route(String text) {
        String trimmed = text.strip();
        int space = trimmed.indexOf(' ');
        String method = space < 0 ? null : trimmed.substring(0, space).toUpperCase(Locale.ROOT);
        String glob = space < 0 ? trimmed : trimmed.substring(space + 1).strip();
        if (!glob.startsWith("/")) {
            throw new IllegalArgumentException("route '" + text + "' must be '[METHOD] /path' (a glob)");
        }
        return new Route(method, Pattern.compile(globToRegex(glob)));
    }

    static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
