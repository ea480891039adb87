package net.goldentooth.rest.auth;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides one request (pure): who the caller is, from a bearer token or a client certificate's
 * CN, and whether the caller's role is enough for the route. Messages name the caller and the role,
 * never the token.
 */
public final class Gatekeeper {

    /** The answer for one request. */
    public sealed interface Decision {
    }

    /** Let the request through; {@code caller} is empty on an open path. */
    public record Allow(Optional<Caller> caller) implements Decision {
    }

    /** Refuse with 401 (who are you?) or 403 (not allowed); {@code error} is safe to show. */
    public record Deny(int status, String error, List<String> hints) implements Decision {
    }

    private final AccessPolicy policy;
    private final Tokens tokens;
    private final Map<String, Role> certificateRoles;
    private final Optional<Role> anonymousRole;

    /**
     * @param certificateRoles client-certificate CN to role
     * @param anonymousRole    the role of a caller who presents nothing, or empty to require authentication
     */
    public Gatekeeper(AccessPolicy policy, Tokens tokens, Map<String, Role> certificateRoles,
                      Optional<Role> anonymousRole) {
        this.policy = policy;
        this.tokens = tokens;
        this.certificateRoles = Map.copyOf(certificateRoles);
        this.anonymousRole = anonymousRole;
    }

    /**
     * @param authorization the {@code Authorization} header, if sent
     * @param certificateCn the CN of a verified client certificate, if the connection is mutual TLS
     */
    public Decision decide(String method, String path, Optional<String> authorization,
                           Optional<String> certificateCn) {
        Optional<Role> needed = policy.required(method, path);
        if (needed.isEmpty()) {
            return new Allow(Optional.empty());
        }
        Caller caller;
        if (authorization.isPresent()) {
            String header = authorization.get().strip();
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
                return new Deny(401, "the Authorization header must be 'Bearer <token>'", List.of());
            }
            Optional<Caller> known = tokens.lookup(header.substring(7).strip());
            if (known.isEmpty()) {
                return new Deny(401, "the bearer token is not known to this service",
                        List.of("tokens are listed by hash in goldentooth.auth.tokens-file"));
            }
            caller = known.get();
        } else if (certificateCn.isPresent()) {
            Role role = certificateRoles.get(certificateCn.get());
            if (role == null) {
                return new Deny(403, "client certificate CN '" + certificateCn.get() + "' has no role here",
                        List.of("map it with goldentooth.auth.certificate-roles.\"" + certificateCn.get() + "\""));
            }
            caller = new Caller(certificateCn.get(), role, "certificate");
        } else if (anonymousRole.isPresent()) {
            caller = new Caller("anonymous", anonymousRole.get(), "anonymous");
        } else {
            return new Deny(401, "authentication required: send 'Authorization: Bearer <token>' "
                    + "or a client certificate", List.of());
        }
        if (!caller.role().includes(needed.get())) {
            return new Deny(403, caller.name() + " has role " + caller.role().wire() + "; "
                    + method.toUpperCase(Locale.ROOT) + " " + path + " needs " + needed.get().wire(), List.of());
        }
        return new Allow(Optional.of(caller));
    }
}
