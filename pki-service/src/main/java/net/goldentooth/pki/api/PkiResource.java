package net.goldentooth.pki.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.goldentooth.events.cert.CaStatus;
import net.goldentooth.events.cert.CertLineageView;
import net.goldentooth.pki.desk.PkiDesk;
import net.goldentooth.rest.errors.BadRequestException;

/** The CA's REST API: status, initialisation, the certificate inventory, revocation and the CRL. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PkiResource {

    private static final Pattern LINEAGE = PkiDesk.LINEAGE;

    /** The answer of a revocation. */
    public record Revocation(String lineage, boolean newlyRevoked, List<String> revokedLineages) {
    }

    @Inject
    PkiDesk desk;

    @GET
    @Path("ca")
    public CaStatus ca() {
        return desk.status();
    }

    /** Idempotent: initialises the CA when it is not, and answers its status either way. */
    @POST
    @Path("ca/init")
    public CaStatus init() {
        return desk.initialise();
    }

    @GET
    @Path("certs")
    public List<CertLineageView> certs() {
        return desk.certificates();
    }

    @POST
    @Path("lineages/{lineage: .+}/revoke")
    public Revocation revoke(@PathParam("lineage") String lineage) {
        if (!LINEAGE.matcher(lineage).matches()) {
            throw new BadRequestException("'" + lineage + "' is not a lineage; expected <node>/<service>",
                    List.of("e.g. POST /lineages/bettley/consul/revoke"));
        }
        boolean added = desk.revoke(lineage);
        Set<String> all = desk.revokedLineages();
        return new Revocation(lineage, added, List.copyOf(all));
    }

    @GET
    @Path("revocations")
    public List<String> revocations() {
        return List.copyOf(desk.revokedLineages());
    }

    /** An X.509 CRL signed by the intermediate, listing the newest certificate of every revoked lineage. */
    @GET
    @Path("crl")
    @Produces("application/x-pem-file")
    public String crl() {
        return desk.crlPem().orElseThrow(NotInitialisedException::new);
    }
}
