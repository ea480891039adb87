package net.goldentooth.pki.api;

import net.goldentooth.pki.errors.PkiError;

/** Asked for something only an initialised CA has: 409, pointing at {@code POST /ca/init}. */
public class NotInitialisedException extends RuntimeException {

    public NotInitialisedException() {
        super(new PkiError.NotInitialised().safeMessage());
    }
}
