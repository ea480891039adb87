package net.goldentooth.storage.seaweedfs;

/** A SeaweedFS layout that cannot work. */
public final class SeaweedTopologyException extends RuntimeException {
    public SeaweedTopologyException(String message) {
        super(message);
    }
}
