package net.goldentooth.rest.auth;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.api.ApiError;
import org.jboss.logging.Logger;

/**
 * Authenticates and authorises every HTTP request before any route runs (JAX-RS, SSE, static
 * pages alike), with the {@link Gatekeeper}. Start-up fails when the tokens file is missing or
 * malformed, naming {@code goldentooth.auth.tokens-file}. Tokens are never logged: only the
 * caller's name, the route and the reason of a refusal.
 */
@ApplicationScoped
public class AuthFilter {

    /** The routing-context key under which the authenticated {@link Caller} travels to the resources. */
    public static final String CALLER = "goldentooth.caller";

    private static final Logger LOG = Logger.getLogger(AuthFilter.class);

    @Inject
    AuthConfig config;

    void install(@Observes Router router) {
        if (!config.enabled()) {
            LOG.warn("REST authentication is off (goldentooth.auth.enabled=false): every caller is admin");
            return;
        }
        Gatekeeper gatekeeper = gatekeeper(config);
        // First of all routes, so nothing (JAX-RS, SSE, static files) answers before the check.
        router.route().order(Integer.MIN_VALUE).handler(context -> handle(context, gatekeeper));
    }

    static Gatekeeper gatekeeper(AuthConfig config) {
        Tokens tokens = Tokens.load(config.tokensFile());
        Map<String, Role> certificateRoles = new HashMap<>();
        config.certificateRoles().forEach((cn, role) -> certificateRoles.put(cn, Role.parse(role).orElseThrow(
                () -> new IllegalArgumentException("goldentooth.auth.certificate-roles.\"" + cn + "\": unknown role '"
                        + role + "'; roles: " + Role.names()))));
        Optional<Role> anonymous = config.anonymousRole().equals("none") ? Optional.empty()
                : Optional.of(Role.parse(config.anonymousRole()).orElseThrow(() -> new IllegalArgumentException(
                        "goldentooth.auth.anonymous-role: unknown role '" + config.anonymousRole() + "'; roles: none, "
                                + Role.names())));
        List<String> admin = config.adminRoutes().equals(List.of("none")) ? List.of() : config.adminRoutes();
        LOG.infof("REST authentication on: %d token(s) from %s, %d certificate CN(s), anonymous role %s, "
                + "admin routes %s", tokens.size(), config.tokensFile(), certificateRoles.size(),
                config.anonymousRole(), admin);
        return new Gatekeeper(new AccessPolicy(config.openPaths(), admin), tokens, certificateRoles, anonymous);
    }

    private static void handle(RoutingContext context, Gatekeeper gatekeeper) {
        String method = context.request().method().name();
        if (isPreflight(context)) {
            // A browser's CORS preflight never carries credentials and changes nothing; Quarkus' CORS
            // filter (where a service enables it) answers it. The request that follows is checked here.
            context.next();
            return;
        }
        String path = context.normalizedPath();
        Gatekeeper.Decision decision = gatekeeper.decide(method, path,
                Optional.ofNullable(context.request().getHeader(HttpHeaders.AUTHORIZATION)),
                certificateCn(context));
        if (decision instanceof Gatekeeper.Allow allow) {
            allow.caller().ifPresent(caller -> context.put(CALLER, caller));
            context.next();
            return;
        }
        Gatekeeper.Deny deny = (Gatekeeper.Deny) decision;
        LOG.infof("refused %s %s with %d: %s", method, path, deny.status(), deny.error());
        var response = context.response().setStatusCode(deny.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (deny.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"goldentooth\"");
        }
        response.end(EventCodec.encodeToString(new ApiError(deny.status(), deny.error(), deny.hints())));
    }

    static boolean isPreflight(RoutingContext context) {
        return "OPTIONS".equals(context.request().method().name())
                && context.request().getHeader("Origin") != null
                && context.request().getHeader("Access-Control-Request-Method") != null;
    }

    /** The CN of the client certificate the TLS layer verified, if the connection has one. */
    private static Optional<String> certificateCn(RoutingContext context) {
        SSLSession session = context.request().sslSession();
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return Optional.empty();
        }
    }
}
