package net.goldentooth.provisioner.k8s;

import java.util.List;
import java.util.Map;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/**
 * A Kubernetes operation that could not be done: bad input ({@link ErrorKind#INVALID}), an unknown
 * node ({@link ErrorKind#NOT_FOUND}), the API server failed or could not be reached
 * ({@link ErrorKind#UPSTREAM}: the caller's request was fine, retrying later may work), or the
 * operation was interrupted ({@link ErrorKind#UNAVAILABLE}).
 */
public class K8sException extends ProvisionerException {

    public K8sException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, Map.of(), cause);
    }

    /** @param details for the log, e.g. the API server's status code */
    public K8sException(ErrorKind kind, String message, Map<String, String> details, Throwable cause) {
        super(kind, message, List.of(), details, cause);
    }

    /** The HTTP status to answer with: 400, 404, 409, 502 or 503. */
    public int status() {
        return switch (kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UPSTREAM -> 502;
            case UNAVAILABLE -> 503;
        };
    }
}
