package net.goldentooth.storage.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.goldentooth.events.storage.KeptSnapshot;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotPlanView;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.events.storage.StorageStatusView;
import net.goldentooth.storage.execution.Replicator;
import net.goldentooth.storage.execution.SnapshotRunner;
import net.goldentooth.storage.planning.ReplicationCursor;
import net.goldentooth.storage.planning.SnapshotPlan;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.SanoidConfig;
import net.goldentooth.storage.replication.ReplicationPairs;
import net.goldentooth.storage.shell.NodeShellException;
import net.goldentooth.storage.topology.ReplicationTopology;
import net.goldentooth.storage.zfs.ZfsSnapshot;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * What the service does, independent of Kafka and Quarkus: snapshot runs whose pruning protects
 * every target's base, replication runs that prune the target by its own policy afterwards, the
 * dry-run plan and the status view. Runs are serialized (one at a time), so a prune never races
 * a send of the same dataset.
 */
public final class StorageOperations {

    private static final Logger LOG = Logger.getLogger(StorageOperations.class);

    private final SanoidConfig config;
    private final ReplicationTopology topology;
    private final UnaryOperator<String> targetDataset;
    private final SnapshotRunner runner;
    private final Replicator replicator;
    private final Consumer<SnapshotRun> runSink;
    private final Consumer<ReplicationStatus> replicationSink;
    private final Map<String, SnapshotRun> runs = new ConcurrentHashMap<>();
    private final Map<String, ReplicationStatus> replication = new ConcurrentHashMap<>();
    /** Whether this instance is the elected planner now; asked before each dataset and each pair. */
    private volatile BooleanSupplier leads = () -> true;
    private volatile String election = "none";

    /**
     * @param targetDataset maps a source dataset to its name on the targets
     * @param runSink       receives every snapshot run (published on {@code storage.snapshots})
     * @param replicationSink receives every pair status (published on {@code storage.replication})
     */
    public StorageOperations(SanoidConfig config, ReplicationTopology topology, UnaryOperator<String> targetDataset,
                             SnapshotRunner runner, Replicator replicator, Consumer<SnapshotRun> runSink,
                             Consumer<ReplicationStatus> replicationSink) {
        this.config = config;
        this.topology = topology;
        this.targetDataset = targetDataset;
        this.runner = runner;
        this.replicator = replicator;
        this.runSink = runSink;
        this.replicationSink = replicationSink;
    }

    /**
     * Makes runs conditional on leadership ({@code election} names it for the refusal): a standby
     * refuses snapshot and replication runs, and a leader that loses its lease mid-run stops before
     * the next dataset or pair. Dry runs ({@link #plan}) and status stay open on every instance.
     */
    public void actOnlyWhile(String election, BooleanSupplier leads) {
        this.election = election;
        this.leads = leads;
    }

    private void requireLeadership() {
        if (!leads.getAsBoolean()) {
            throw new NotLeaderException(election);
        }
    }

    public List<String> datasets() {
        return config.datasets().stream().map(DatasetPolicy::dataset).toList();
    }

    public ReplicationTopology topology() {
        return topology;
    }

    /** State from the compacted topics, read at start-up, so a restart keeps bases and last successes. */
    public void restore(SnapshotRun run) {
        runs.put(SnapshotRun.key(run.node(), run.dataset()), run);
    }

    public void restore(ReplicationStatus status) {
        replication.put(ReplicationStatus.key(status.dataset(), status.target()), status);
    }

    /**
     * One snapshot run of a sanoid section: its dataset, then (for a recursive section) each child
     * dataset with its own plan, every run published. Answers the section's own dataset's run.
     */
    public synchronized SnapshotRun snapshot(String dataset) {
        List<DatasetPolicy> members = config.runFor(dataset, tree(dataset));
        SnapshotRun first = null;
        for (DatasetPolicy member : members) {
            requireLeadership();
            MDC.put("dataset", member.dataset());
            try {
                SnapshotRun run = runner.run(topology.source(), member.dataset(), member, cursors(member.dataset()));
                record(run);
                first = first == null ? run : first;
            } finally {
                MDC.remove("dataset");
            }
        }
        return first;
    }

    /** The section's dataset and its descendants; a listing that fails plans the dataset alone this run. */
    private List<String> tree(String dataset) {
        if (!policy(dataset).recursive()) {
            return List.of(dataset);
        }
        try {
            return runner.tree(topology.source(), dataset);
        } catch (NodeShellException e) {
            LOG.warnf("cannot list the children of %s, planning it alone this run: %s", dataset, e.getMessage());
            return List.of(dataset);
        }
    }

    public SnapshotPlanView plan(String dataset) {
        DatasetPolicy policy = policy(dataset);
        SnapshotPlan plan = runner.plan(topology.source(), dataset, policy, cursors(dataset));
        return new SnapshotPlanView(topology.source(), dataset, plan.plannedAt(), plan.take(), plan.destroy(),
                plan.kept().stream().map(k -> new KeptSnapshot(k.name(), k.reason())).toList());
    }

    /**
     * Replicates {@code dataset} to one target, or to every target when {@code to} is empty. A
     * recursive section's children (those its snapshot run plans) are pairs of their own, parents
     * first; each pair's status is published, and a pair in sync has its target pruned by its own
     * retention.
     */
    public synchronized List<ReplicationStatus> replicate(String dataset, Optional<String> to) {
        policy(dataset); // an unknown dataset is the caller's error (404), before anything runs
        requireLeadership();
        List<String> targets = to.map(List::of).orElse(topology.targets());
        for (String target : targets) {
            if (!topology.targets().contains(target)) {
                throw new UnknownTargetException(target, topology.targets());
            }
        }
        List<ReplicationStatus> results = new ArrayList<>();
        for (ReplicationPairs.Pair pair : ReplicationPairs.of(config.runFor(dataset, tree(dataset)), targets,
                targetDataset)) {
            requireLeadership();
            String key = ReplicationStatus.key(pair.dataset(), pair.target());
            ReplicationStatus status = replicator.replicate(pair.dataset(), topology.source(), pair.target(),
                    pair.targetDataset(), replication.get(key));
            replication.put(key, status);
            replicationSink.accept(status);
            results.add(status);
            if (status.state() == ReplicationState.IN_SYNC) {
                // Never taking snapshots there and never destroying its newest, the next run's base.
                record(runner.run(pair.target(), pair.targetDataset(), pair.receiving(),
                        List.of(new ReplicationCursor(pair.target(), status.lastCommon(), true))));
            }
        }
        return results;
    }

    private void record(SnapshotRun run) {
        runs.put(SnapshotRun.key(run.node(), run.dataset()), run);
        runSink.accept(run);
    }

    /**
     * Each target's newest snapshot, asked now; an unreachable target falls back to the last base
     * this service sent it (a target only advances through us), else its base is unknown and the
     * planner prunes nothing.
     */
    private List<ReplicationCursor> cursors(String dataset) {
        List<ReplicationCursor> cursors = new ArrayList<>();
        for (String target : topology.targets()) {
            ReplicationStatus last = replication.get(ReplicationStatus.key(dataset, target));
            try {
                List<ZfsSnapshot> held = runner.list(target, targetDataset.apply(dataset));
                String newest = held.isEmpty() ? null : held.get(held.size() - 1).name();
                cursors.add(new ReplicationCursor(target, newest, true));
                // A diverged target's newest is not on the source; the newest snapshot the two still
                // share is what a repair rolls back to, so it is kept too.
                if (last != null && last.lastCommon() != null && !last.lastCommon().equals(newest)) {
                    cursors.add(new ReplicationCursor(target, last.lastCommon(), true));
                }
            } catch (NodeShellException e) {
                LOG.warnf("cannot list %s on %s (%s)", dataset, target, e.getMessage());
                cursors.add(last != null && last.lastCommon() != null
                        ? new ReplicationCursor(target, last.lastCommon(), true)
                        : ReplicationCursor.unknown(target));
            }
        }
        return cursors;
    }

    private DatasetPolicy policy(String dataset) {
        return config.datasets().stream().filter(p -> p.dataset().equals(dataset)).findFirst()
                .orElseThrow(() -> new UnknownDatasetException(dataset, datasets()));
    }

    /**
     * Per section and per child of a recursive section that has run (each child has its own last
     * run and pairs), the last snapshot run and one replication status per target.
     */
    public StorageStatusView status() {
        List<StorageStatusView.DatasetView> views = new ArrayList<>();
        for (String dataset : statusDatasets()) {
            List<ReplicationStatus> pairs = new ArrayList<>();
            for (String target : topology.targets()) {
                pairs.add(replication.getOrDefault(ReplicationStatus.key(dataset, target),
                        new ReplicationStatus(dataset, topology.source(), target, ReplicationState.IDLE, null, null,
                                0, 0, 0, null, null, null)));
            }
            views.add(new StorageStatusView.DatasetView(dataset,
                    runs.get(SnapshotRun.key(topology.source(), dataset)), pairs));
        }
        return new StorageStatusView(topology.source(), topology.targets(), views);
    }

    /** Each section, followed by the children of it seen in a run or a replication, sorted. */
    private List<String> statusDatasets() {
        SortedSet<String> seen = new TreeSet<>();
        runs.values().stream().filter(r -> r.node().equals(topology.source())).forEach(r -> seen.add(r.dataset()));
        replication.values().forEach(r -> seen.add(r.dataset()));
        List<String> datasets = new ArrayList<>();
        for (String section : datasets()) {
            datasets.add(section);
            seen.stream().filter(d -> section.equals(sectionOf(d))).forEach(datasets::add);
        }
        return datasets;
    }

    /** The recursive section a child dataset (one without a section of its own) belongs to, or null. */
    private String sectionOf(String child) {
        DatasetPolicy nearest = null;
        for (DatasetPolicy section : config.datasets()) {
            if (section.dataset().equals(child)) {
                return null;
            }
            if (child.startsWith(section.dataset() + "/")
                    && (nearest == null || section.dataset().length() > nearest.dataset().length())) {
                nearest = section;
            }
        }
        return nearest != null && nearest.recursive() ? nearest.dataset() : null;
    }
}
