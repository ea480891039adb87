package net.goldentooth.storage.service;

import java.util.List;
import net.goldentooth.storage.errors.StorageError;
import net.goldentooth.storage.errors.StorageException;

/** A dataset no sanoid.conf section names. */
public final class UnknownDatasetException extends StorageException {

    private final String dataset;
    private final List<String> known;

    public UnknownDatasetException(String dataset, List<String> known) {
        super("unknown dataset '" + dataset + "'");
        this.dataset = dataset;
        this.known = List.copyOf(known);
    }

    public List<String> known() {
        return known;
    }

    @Override
    public StorageError.UnknownDataset error() {
        return new StorageError.UnknownDataset(dataset, known);
    }
}
