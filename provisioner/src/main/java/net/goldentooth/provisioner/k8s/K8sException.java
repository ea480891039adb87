package net.goldentooth.provisioner.k8s;

/**
 * A Kubernetes operation that could not be done. {@code status} is the HTTP status to answer
 * with: 404 for an unknown node, 400 for bad input, 502 when the API server failed or could not
 * be reached (the caller's request was fine; retrying later may work).
 */
public class K8sException extends RuntimeException {

    private final int status;

    public K8sException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return status >= 500;
    }
}
