package net.goldentooth.provisioner.enrolment;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.rest.errors.BadRequestException;
import net.goldentooth.provisioner.config.ProvisionerConfig;
import net.goldentooth.provisioner.inventory.Inventory;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/** {@code POST /enrolment-tokens}: a one-time token with which a node enrols with pki-service. */
@Path("/enrolment-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnrolmentTokenResource {

    private static final Logger LOG = Logger.getLogger(EnrolmentTokenResource.class);

    /** The request body. */
    public record TokenRequest(String node) {
    }

    /** The answer; {@code token} is a secret until used, so it is never logged. */
    public record TokenResponse(String token, String tokenId, String node, Instant expiresAt) {
    }

    @Inject
    ProvisionerConfig config;
    @Inject
    EnrolmentConfig enrolment;
    @Inject
    Inventory inventory;
    @Inject
    Clock clock;

    private volatile TokenMinter minter;

    @POST
    @Operation(summary = "Mint a one-time, expiring enrolment token bound to an inventory node")
    public TokenResponse mint(TokenRequest request) {
        if (request == null || request.node() == null || request.node().isBlank()) {
            throw new BadRequestException("body must be {\"node\": \"<inventory host>\"}", List.of());
        }
        if (!inventory.hasHost(request.node())) {
            throw new BadRequestException("'" + request.node() + "' is not an inventory host",
                    inventory.hosts().keySet().stream().sorted().limit(20).toList());
        }
        EnrolmentToken claims = minter().claimsFor(request.node());
        LOG.infof("minted enrolment token %s for %s, expiring %s", claims.tokenId(), claims.node(), claims.expiresAt());
        return new TokenResponse(minter().mint(claims), claims.tokenId(), claims.node(), claims.expiresAt());
    }

    private TokenMinter minter() {
        if (minter == null) {
            try {
                // The provisioner created the key pair at start-up; this reads the same files.
                minter = new TokenMinter(SigningKeys.loadOrCreate(config.signingKey(), config.signingPublicKey()),
                        clock, enrolment.tokenLifetime());
            } catch (IOException e) {
                throw new UncheckedIOException("goldentooth.provisioner.signing-key " + config.signingKey(), e);
            }
        }
        return minter;
    }
}
