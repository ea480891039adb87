package net.goldentooth.pki.errors;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalFault;
import net.goldentooth.events.cert.RefusalReason;

/**
 * pki-service's one error model. Each error has a {@link Kind}, is retryable or permanent, and
 * carries a message safe to show whoever asked (a node on {@code cert.issued}, a REST caller);
 * details for the log are kept apart, and an internal cause never reaches the caller.
 */
public sealed interface PkiError {

    /** The errors a node may be answered with on {@code cert.issued}. */
    sealed interface ToNode extends PkiError {
        /** The refusal the node receives. */
        CertIssued.Refusal refusal();

        /** The answer to {@code request}: this refusal, at {@code at}. */
        default CertIssued answer(CertRequest request, Instant at) {
            return new CertIssued(request.requestId(), request.node(), request.lineage(), request.service(),
                    request.kind(), null, null, null, null, null, null, refusal(), at);
        }
    }

    /** What went wrong, in the terms a caller can act on. */
    enum Kind {
        /** The policy refused the request; asking again unchanged gets the same answer. */
        REFUSED,
        /** The CA is not initialised yet; {@code POST /ca/init} initialises it. */
        NOT_INITIALISED,
        /** pki-service failed handling the request; the same request may succeed later. */
        INTERNAL
    }

    Kind kind();

    /** Whether asking again unchanged may succeed. */
    boolean retryable();

    /** What the caller is told. */
    String safeMessage();

    /** Facts for the log (never sent to the caller). */
    Map<String, String> details();

    /** A refusal by policy: the typed reason and a message written for the node. */
    record Refused(RefusalReason reason, String safeMessage) implements ToNode {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.REFUSED;
        }

        /** A clock-skew refusal clears once the node's clock is fixed; the others need a changed request. */
        @Override
        public boolean retryable() {
            return reason == RefusalReason.CLOCK_SKEW;
        }

        @Override
        public Map<String, String> details() {
            return Map.of("reason", reason.wire());
        }

        @Override
        public CertIssued.Refusal refusal() {
            return new CertIssued.Refusal(reason, safeMessage);
        }
    }

    /** Asked for what only an initialised CA has. */
    record NotInitialised() implements PkiError {
        @Override
        public Kind kind() {
            return Kind.NOT_INITIALISED;
        }

        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public String safeMessage() {
            return "the CA is not initialised; POST /ca/init (goldentooth pki init) initialises it";
        }

        @Override
        public Map<String, String> details() {
            return Map.of();
        }
    }

    /**
     * An unexpected failure. The caller gets the incident reference only; the cause, logged with
     * the same reference, stays here.
     */
    record Internal(String incident, Throwable cause) implements ToNode {
        public Internal {
            Objects.requireNonNull(incident, "incident");
            Objects.requireNonNull(cause, "cause");
        }

        /** A new incident with a fresh reference. */
        public static Internal of(Throwable cause) {
            return new Internal(UUID.randomUUID().toString().substring(0, 8), cause);
        }

        @Override
        public Kind kind() {
            return Kind.INTERNAL;
        }

        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public String safeMessage() {
            return "pki-service failed handling the request (incident " + incident + ", logged there); retry later";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("incident", incident, "cause", cause.getClass().getName());
        }

        /** Keeps the reason older readers know ({@code bad-request}); {@link RefusalFault} says what it is. */
        @Override
        public CertIssued.Refusal refusal() {
            return new CertIssued.Refusal(RefusalReason.BAD_REQUEST, safeMessage(), RefusalFault.INTERNAL_ERROR);
        }
    }
}
