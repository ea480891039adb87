package net.goldentooth.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.storage.execution.Replicator;
import net.goldentooth.storage.execution.Transport;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.ShellResult;

/**
 * {@code bench/storage-replication}: wall time of one incremental replication through our
 * Replicator beside Debian's {@code syncoid} doing the same, on the same zfs-fuse pools in the
 * same run: one source dataset, two target datasets on a second pool (one ours, one syncoid's).
 * Each round takes 5 new snapshots, then runs both (alternating who goes first) and prints the
 * medians and their ratio. Needs root, zfs-fuse running and syncoid installed. It asserts nothing.
 */
public final class ReplicationBench {

    private static final LocalNodeShell SHELL = new LocalNodeShell(Duration.ofMinutes(5));

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Files.createTempDirectory("storage-bench");
        String id = Long.toHexString(System.nanoTime() & 0xffffff);
        String src = "gtbsrc" + id;
        String dst = "gtbdst" + id;
        try {
            sh("truncate -s 256M " + dir + "/src.img " + dir + "/dst.img");
            sh("zpool create -m none " + src + " " + dir + "/src.img");
            sh("zpool create -m none " + dst + " " + dir + "/dst.img");
            sh("zfs create " + src + "/data");
            Replicator replicator = new Replicator(SHELL, Transport.local(), Clock.systemUTC());
            int snap = 0;
            sh("zfs snapshot " + src + "/data@bench" + snap++);
            ReplicationStatus ours = replicator.replicate(src + "/data", "local", "local", dst + "/ours", null);
            check(ours);
            sh("syncoid --quiet --no-privilege-elevation --no-sync-snap " + src + "/data " + dst + "/syncoid");
            List<Long> ourNanos = new ArrayList<>();
            List<Long> syncoidNanos = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < 5; i++) {
                    sh("zfs snapshot " + src + "/data@bench" + snap++);
                }
                for (int turn = 0; turn < 2; turn++) {
                    if ((round + turn) % 2 == 0) {
                        long start = System.nanoTime();
                        ours = replicator.replicate(src + "/data", "local", "local", dst + "/ours", ours);
                        ourNanos.add(System.nanoTime() - start);
                        check(ours);
                    } else {
                        long start = System.nanoTime();
                        sh("syncoid --quiet --no-privilege-elevation --no-sync-snap " + src + "/data " + dst + "/syncoid");
                        syncoidNanos.add(System.nanoTime() - start);
                    }
                }
            }
            double o = median(ourNanos) / 1e6;
            double s = median(syncoidNanos) / 1e6;
            System.out.printf("storage replication (zfs-fuse, 5 snapshots per incremental, %d rounds):%n", rounds);
            System.out.printf("  storage-service %.0f ms, syncoid %.0f ms (medians): ratio %.2fx (target <= 1.2x)%n",
                    o, s, o / s);
        } finally {
            SHELL.run("local", "zpool destroy -f " + src + "; zpool destroy -f " + dst + "; rm -rf " + dir, null);
        }
    }

    private static void check(ReplicationStatus status) {
        if (status.state() != ReplicationState.IN_SYNC) {
            throw new IllegalStateException("replication did not end in sync: " + status);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static void sh(String command) {
        ShellResult result = SHELL.run("local", command, null);
        if (!result.ok()) {
            throw new IllegalStateException(command + " failed: " + result.stderr());
        }
    }
}
