package net.goldentooth.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatekeeperTest {

    private static final AccessPolicy POLICY = new AccessPolicy(AccessPolicy.DEFAULT_OPEN,
            List.of("POST /ca/init", "POST /lineages/**/revoke"));
    private static final Tokens TOKENS = Tokens.parse(List.of(
            Tokens.sha256("v-token") + " viewer val",
            Tokens.sha256("o-token") + " operator olga",
            Tokens.sha256("a-token") + " admin ada"), "test");
    private static final Gatekeeper GATE = new Gatekeeper(POLICY, TOKENS, Map.of("ops-laptop", Role.OPERATOR),
            Optional.empty());

    private static Gatekeeper.Decision token(String method, String path, String token) {
        return GATE.decide(method, path, Optional.of("Bearer " + token), Optional.empty());
    }

    private static int status(Gatekeeper.Decision decision) {
        return decision instanceof Gatekeeper.Deny deny ? deny.status() : 200;
    }

    @Test
    void healthAndMetricsAreOpen() {
        assertEquals(200, status(GATE.decide("GET", "/q/health/ready", Optional.empty(), Optional.empty())));
        assertEquals(200, status(GATE.decide("GET", "/q/metrics", Optional.empty(), Optional.empty())));
        assertEquals(401, status(GATE.decide("GET", "/q/openapi", Optional.empty(), Optional.empty())));
    }

    @Test
    void rolesGrowFromReadingToActingToAdministering() {
        assertEquals(200, status(token("GET", "/jobs", "v-token")));
        assertEquals(403, status(token("POST", "/jobs", "v-token")));
        assertEquals(200, status(token("POST", "/jobs", "o-token")));
        assertEquals(403, status(token("POST", "/ca/init", "o-token")));
        assertEquals(403, status(token("POST", "/lineages/alpha/canary/revoke", "o-token")));
        assertEquals(200, status(token("POST", "/lineages/alpha/canary/revoke", "a-token")));
        assertEquals(200, status(token("GET", "/ca", "a-token")));
    }

    @Test
    void unknownOrMalformedCredentialsAre401AndNeverEchoTheToken() {
        Gatekeeper.Deny unknown = assertInstanceOf(Gatekeeper.Deny.class, token("GET", "/jobs", "guess-me"));
        assertEquals(401, unknown.status());
        assertFalse(unknown.error().contains("guess-me"));
        Gatekeeper.Deny basic = assertInstanceOf(Gatekeeper.Deny.class,
                GATE.decide("GET", "/jobs", Optional.of("Basic dXNlcjpwYXNz"), Optional.empty()));
        assertEquals(401, basic.status());
        assertEquals(401, status(GATE.decide("GET", "/jobs", Optional.empty(), Optional.empty())));
    }

    @Test
    void aClientCertificateCnMapsToItsRole() {
        assertEquals(200, status(GATE.decide("POST", "/jobs", Optional.empty(), Optional.of("ops-laptop"))));
        assertEquals(403, status(GATE.decide("POST", "/ca/init", Optional.empty(), Optional.of("ops-laptop"))));
        assertEquals(403, status(GATE.decide("GET", "/jobs", Optional.empty(), Optional.of("stranger"))));
    }

    @Test
    void anAnonymousRoleLetsCallersInWithoutCredentialsButNoFurther() {
        Gatekeeper open = new Gatekeeper(POLICY, TOKENS, Map.of(), Optional.of(Role.VIEWER));
        assertEquals(200, status(open.decide("GET", "/alerts", Optional.empty(), Optional.empty())));
        assertEquals(403, status(open.decide("POST", "/jobs", Optional.empty(), Optional.empty())));
        assertEquals(401, status(open.decide("GET", "/alerts", Optional.of("Bearer wrong"), Optional.empty())),
                "a wrong token is not silently downgraded to anonymous");
    }

    @Test
    void globsMatchWithinAndAcrossSegments() {
        AccessPolicy policy = new AccessPolicy(List.of("/static/*.css"), List.of("/admin/**"));
        assertEquals(Optional.empty(), policy.required("GET", "/static/a.css"));
        assertEquals(Optional.of(Role.VIEWER), policy.required("GET", "/static/deep/a.css"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("GET", "/admin/x/y"));
        assertEquals(Optional.of(Role.OPERATOR), policy.required("DELETE", "/other"));
    }
}
