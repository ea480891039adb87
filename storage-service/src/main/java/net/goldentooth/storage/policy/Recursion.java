package net.goldentooth.storage.policy;

/** What sanoid's {@code recursive} key does to a section's child datasets. */
public enum Recursion {
    /** {@code recursive = no}: the section governs its own dataset only. */
    NONE,
    /**
     * {@code recursive = yes}: every child dataset is snapshotted and pruned on its own, with the
     * section's policy (each has its own snapshot times, as sanoid takes them one by one).
     */
    DATASETS,
    /**
     * {@code recursive = zfs}: one atomic {@code zfs snapshot -r} on the section's dataset takes the
     * children's snapshots too; each child is still pruned on its own with the section's policy.
     */
    ZFS
}
