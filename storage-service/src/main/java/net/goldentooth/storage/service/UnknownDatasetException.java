package net.goldentooth.storage.service;

import java.util.List;

/** A dataset no sanoid.conf section names. */
public final class UnknownDatasetException extends RuntimeException {

    private final List<String> known;

    public UnknownDatasetException(String dataset, List<String> known) {
        super("unknown dataset '" + dataset + "'");
        this.known = List.copyOf(known);
    }

    public List<String> known() {
        return known;
    }
}
