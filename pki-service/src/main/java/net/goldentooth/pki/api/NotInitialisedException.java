package net.goldentooth.pki.api;

/** Asked for something only an initialised CA has: 409, pointing at {@code POST /ca/init}. */
public class NotInitialisedException extends RuntimeException {

    public NotInitialisedException() {
        super("the CA is not initialised; POST /ca/init (goldentooth pki init) initialises it");
    }
}
