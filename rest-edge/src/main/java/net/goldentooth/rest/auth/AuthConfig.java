package net.goldentooth.rest.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Authentication of a service's REST API (DESIGN.md, "Security model"). */
@ConfigMapping(prefix = "goldentooth.auth")
public interface AuthConfig {

    /** Whether callers must authenticate; tests of other features and testkit's processes turn it off. */
    @WithDefault("true")
    boolean enabled();

    /** The bearer tokens, as lines {@code <sha256-hex> <role> <name>}; read once at start-up. */
    @WithDefault("/etc/goldentooth/tokens")
    Path tokensFile();

    /** Client-certificate CN to role, for callers on mutual TLS: {@code certificate-roles."ops-laptop"=admin}; none by default. */
    Map<String, String> certificateRoles();

    /** The role of a caller who presents neither a token nor a certificate; {@code none} means 401. */
    @WithDefault("none")
    String anonymousRole();

    /** Paths anyone may call (globs); health and metrics by default. */
    @WithDefault("/q/health,/q/health/**,/q/metrics")
    List<String> openPaths();

    /** Routes that need admin ({@code "POST /ca/init"}, globs); {@code none} for no such route. */
    @WithDefault("none")
    List<String> adminRoutes();
}
