package net.goldentooth.pki.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.pki.config.PkiConfig;
import net.goldentooth.pki.desk.PkiDesk;
import net.goldentooth.rest.errors.ApiErrors;
import net.goldentooth.rest.errors.BadRequestException;

/**
 * A node's first certificate, over HTTPS (docs/security.md, "The first certificate"). On a bus
 * with mutual TLS a node without a certificate cannot reach Kafka, where certificate requests
 * normally go, so this one request comes over HTTPS instead: the one-time enrolment token the
 * provisioner minted for the node, and a CSR for a key the node made and keeps. The answer is the
 * certificate and its chain; renewals then go over the bus with proof of possession, as before.
 *
 * <p>The route is open in REST terms (the token is the credential: an agent has no bearer token
 * and no certificate yet) and refused unless the connection is TLS, so the token never crosses
 * the network in clear. Issuance is {@link PkiDesk#enrol}: the same issuer, the same policy and the
 * same token ledger as {@code enroll} on {@code cert.requested}.
 */
@Path("/enrolment")
public class EnrolmentResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

    /**
     * @param node            the node the token was minted for
     * @param service         the lineage's service, {@code kafka} when absent (lineage {@code <node>/<service>})
     * @param csr             PKCS#10 CSR in PEM, signed by the key that stays on the node
     * @param token           the one-time enrolment token
     * @param names           subject alternative names; default: those of the CSR
     * @param lifetimeSeconds requested lifetime; default: pki's default lifetime
     */
    public record EnrolmentRequest(String node, String service, String csr, String token, List<String> names,
                                   Long lifetimeSeconds) {
    }

    /** The certificate: the leaf, then the chain (intermediate then root), both PEM. */
    public record Enrolled(String node, String lineage, String serial, String certificatePem, String chainPem,
                           Instant notBefore, Instant notAfter) {
    }

    @Inject
    PkiDesk desk;
    @Inject
    PkiConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response enrol(EnrolmentRequest body, @Context HttpServerRequest connection) {
        if (!connection.isSSL() && !config.enrolmentOverHttp()) {
            return ApiErrors.answer(403, "enrolment is only served over HTTPS: the token must not cross the "
                    + "network in clear", List.of("call https://<pki-service>/enrolment"));
        }
        if (body == null) {
            throw new BadRequestException("the body must be a JSON object with node, csr and token",
                    List.of("{\"node\":\"allyrion\",\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----...\",\"token\":\"...\"}"));
        }
        String service = body.service() == null ? "kafka" : body.service();
        require(body.node(), "node");
        require(body.csr(), "csr");
        require(body.token(), "token");
        if (!NAME.matcher(body.node()).matches() || !NAME.matcher(service).matches()) {
            throw new BadRequestException("node and service must be 1-63 letters, digits, '.', '_' or '-'", List.of());
        }
        if (body.lifetimeSeconds() != null && body.lifetimeSeconds() <= 0) {
            throw new BadRequestException("lifetimeSeconds must be positive, was " + body.lifetimeSeconds(), List.of());
        }
        CertRequest request = new CertRequest(UUID.randomUUID().toString(), body.node(), body.node() + "/" + service,
                service, CertKind.ENROLL, body.csr(), null, body.token(), null, body.lifetimeSeconds(), body.names(),
                false, Instant.now());
        CertIssued answer = desk.enrol(request).orElseThrow(NotInitialisedException::new);
        if (!answer.issued()) {
            RefusalReason reason = answer.refusal().reason();
            int status = reason == RefusalReason.BAD_REQUEST || reason == RefusalReason.LIFETIME_TOO_LONG ? 400 : 403;
            return ApiErrors.answer(status, reason.wire() + ": " + answer.refusal().message(), List.of());
        }
        return Response.ok(new Enrolled(answer.node(), answer.lineage(), answer.serial(), answer.certificatePem(),
                answer.chainPem(), answer.notBefore(), answer.notAfter())).build();
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(field + " is required", List.of());
        }
    }
}
