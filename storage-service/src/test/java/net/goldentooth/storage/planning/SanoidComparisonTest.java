package net.goldentooth.storage.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.SanoidConfig;
import net.goldentooth.storage.policy.SanoidConfigParser;
import net.goldentooth.storage.policy.Snapshot;
import net.goldentooth.storage.policy.SnapshotName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our prune plan against Debian's real {@code sanoid} (2.1) on the same generated snapshot sets.
 * No pool is needed: sanoid runs {@code zfs} from {@code PATH}, so a stand-in {@code zfs} script
 * answers its {@code zfs get -Hrpt snapshot creation} with the generated list, and sanoid runs
 * with {@code --prune-snapshots --readonly --verbose --force-prune}, printing each snapshot it
 * would destroy. Sanoid ages against its own clock, so every creation time is 30 s off any
 * minute boundary: sanoid's decision equals ours as long as it starts within 30 s of ours.
 */
class SanoidComparisonTest {

    private static final Path SANOID = Path.of("/usr/sbin/sanoid");
    private static final String DATASET = "rpool/data";

    @TempDir
    Path dir;

    @Test
    void theSeedPolicyPrunesExactlyWhatSanoidPrunes() throws Exception {
        String conf = Files.readString(Path.of(getClass().getResource("/sanoid/valid/seed-allyrion.conf").toURI()));
        for (long seed = 1; seed <= 4; seed++) {
            compare(conf, seed, false);
        }
    }

    @Test
    void everyPeriodWithFrequentSnapshotsPrunesExactlyWhatSanoidPrunes() throws Exception {
        String conf = """
                [rpool/data]
                \tuse_template = busy
                [template_busy]
                \tfrequently = 4
                \tfrequent_period = 10
                \thourly = 12
                \tdaily = 5
                \tweekly = 2
                \tmonthly = 2
                \tyearly = 1
                """;
        for (long seed = 11; seed <= 14; seed++) {
            compare(conf, seed, false);
        }
    }

    /**
     * With a lagging replication target, we keep exactly one snapshot more than sanoid: the
     * target's newest, which is the common base. The test names it.
     */
    @Test
    void withALaggingTargetWeKeepOnlyTheReplicationBaseBeyondSanoid() throws Exception {
        String conf = """
                [rpool/data]
                \thourly = 3
                \tdaily = 2
                \tmonthly = 0
                """;
        compare(conf, 21, true);
        compare(conf, 22, true);
    }

    /**
     * A recursive section: sanoid gives every child dataset the section's policy and prunes each on
     * its own ({@code recursive = yes} and {@code = zfs} alike; they differ in how snapshots are
     * taken). Each child here has its own generated snapshots, and our plans per child, from
     * {@link SanoidConfig#runFor}, must destroy exactly what sanoid destroys in each.
     */
    @Test
    void recursiveSectionsPruneEveryChildExactlyAsSanoidDoes() throws Exception {
        List<String> tree = List.of(DATASET, DATASET + "/home", DATASET + "/home/alice", DATASET + "/vm");
        long seed = 31;
        for (String recursive : List.of("yes", "zfs")) {
            String conf = "[" + DATASET + "]\n\thourly = 4\n\tdaily = 3\n\tmonthly = 1\n\trecursive = " + recursive + "\n";
            SanoidConfig config = SanoidConfigParser.parse("sanoid.conf", conf);
            Instant now = Instant.ofEpochSecond(System.currentTimeMillis() / 1000);
            java.util.Map<String, List<Snapshot>> listing = new java.util.LinkedHashMap<>();
            for (String dataset : tree) {
                listing.put(dataset, generate(new Random(seed++), now));
            }
            List<DatasetPolicy> run = config.runFor(DATASET, tree);
            assertEquals(tree, run.stream().map(DatasetPolicy::dataset).toList(), "recursive = " + recursive);
            Set<String> ours = new TreeSet<>();
            for (DatasetPolicy member : run) {
                new SnapshotPlanner(ZoneOffset.UTC).plan(member.dataset(), listing.get(member.dataset()), member,
                        List.of(), now).destroy().forEach(name -> ours.add(member.dataset() + "@" + name));
            }
            Set<String> sanoidPrunes = runSanoid(conf, listing);
            for (String dataset : tree) {
                assertTrue(sanoidPrunes.stream().anyMatch(s -> s.startsWith(dataset + "@")),
                        "sanoid prunes something in " + dataset + " (recursive = " + recursive + ")");
            }
            assertSame(sanoidPrunes, ours, seed);
        }
    }

    private void compare(String conf, long seed, boolean lagging) throws Exception {
        SanoidConfig config = SanoidConfigParser.parse("sanoid.conf", conf);
        DatasetPolicy policy = config.policyFor(DATASET).orElseThrow();
        Instant now = Instant.ofEpochSecond(System.currentTimeMillis() / 1000);
        List<Snapshot> snapshots = generate(new Random(seed), now);

        List<ReplicationCursor> cursors = List.of();
        String base = null;
        if (lagging) {
            // The target stopped receiving long ago: its newest is an old hourly retention drops.
            List<Snapshot> hourly = snapshots.stream().filter(s -> s.period().orElseThrow() == Period.HOURLY)
                    .sorted(java.util.Comparator.comparing(Snapshot::created)).toList();
            base = hourly.get(hourly.size() / 3).name();
            cursors = List.of(new ReplicationCursor("erenford", base, true));
        }
        SnapshotPlan plan = new SnapshotPlanner(ZoneOffset.UTC).plan(DATASET, snapshots, policy, cursors, now);
        Set<String> sanoidPrunes = new TreeSet<>();
        runSanoid(conf, java.util.Map.of(DATASET, snapshots))
                .forEach(s -> sanoidPrunes.add(s.substring(DATASET.length() + 1)));

        assertFalse(sanoidPrunes.isEmpty(), "the generated set must make sanoid prune something (seed " + seed + ")");
        Set<String> ours = new TreeSet<>(plan.destroy());
        if (lagging) {
            assertTrue(sanoidPrunes.contains(base), "sanoid destroys the replication base " + base);
            assertEquals(List.of(base), plan.kept().stream().map(KeptSnapshot::name).toList(),
                    "we keep exactly the base beyond sanoid");
            Set<String> sanoidWithoutBase = new TreeSet<>(sanoidPrunes);
            sanoidWithoutBase.remove(base);
            assertSame(sanoidWithoutBase, ours, seed);
        } else {
            assertTrue(plan.kept().isEmpty());
            assertSame(sanoidPrunes, ours, seed);
        }
    }

    private static void assertSame(Set<String> sanoid, Set<String> ours, long seed) {
        Set<String> onlySanoid = new TreeSet<>(sanoid);
        onlySanoid.removeAll(ours);
        Set<String> onlyOurs = new TreeSet<>(ours);
        onlyOurs.removeAll(sanoid);
        assertTrue(onlySanoid.isEmpty() && onlyOurs.isEmpty(), "seed " + seed + ": only sanoid destroys "
                + onlySanoid + "; only we destroy " + onlyOurs);
    }

    /** A few of every period, up to three years back, each 30 s off a minute boundary. */
    private static List<Snapshot> generate(Random random, Instant now) {
        List<Snapshot> list = new ArrayList<>();
        long[] spans = {6 * 3600, 3 * 86_400, 60 * 86_400, 200 * 86_400, 600 * 86_400, 1100 * 86_400};
        Period[] periods = {Period.FREQUENTLY, Period.HOURLY, Period.DAILY, Period.WEEKLY, Period.MONTHLY, Period.YEARLY};
        for (int p = 0; p < periods.length; p++) {
            int count = 3 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                long minutesAgo = random.nextLong(spans[p] / 60);
                Instant created = now.minusSeconds(minutesAgo * 60 + 30);
                list.add(new Snapshot(SnapshotName.of(created, ZoneOffset.UTC, periods[p]).format(), created));
            }
        }
        return list.stream().distinct().toList();
    }

    /** Sanoid's prune list ({@code dataset@name}) over these datasets (the first is the parent of the rest). */
    private Set<String> runSanoid(String conf, java.util.Map<String, List<Snapshot>> datasets)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(SANOID)) {
            fail("Debian's sanoid is not installed (" + SANOID + "): apt-get install sanoid"
                    + " (listed in .ci/packages/storage-service.txt)");
        }
        // A fresh directory per run: sanoid caches the snapshot list in its cache dir.
        Path dir = Files.createTempDirectory(this.dir, "run");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        Path listing = dir.resolve("snapshots.tsv");
        StringBuilder tsv = new StringBuilder();
        datasets.forEach((dataset, snapshots) -> {
            for (Snapshot s : snapshots) {
                tsv.append(dataset).append('@').append(s.name()).append("\tcreation\t")
                        .append(s.created().getEpochSecond()).append("\t-\n");
            }
        });
        Files.writeString(listing, tsv);
        Path names = dir.resolve("datasets.txt");
        Files.writeString(names, String.join("\n", datasets.keySet()) + "\n");
        Path zfs = bin.resolve("zfs");
        // sanoid lists a recursive section's children with `zfs list -o name -t filesystem,volume -Hr <dataset>`.
        Files.writeString(zfs, "#!/bin/sh\n"
                + "case \"$*\" in\n"
                + "  'get -Hrpt snapshot creation') cat '" + listing + "' ;;\n"
                + "  list*) cat '" + names + "' ;;\n"
                + "  *) echo \"stand-in zfs: unexpected $*\" >&2; exit 1 ;;\n"
                + "esac\n");
        Files.setPosixFilePermissions(zfs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(confDir.resolve("sanoid.conf"), conf);
        ProcessBuilder pb = new ProcessBuilder(SANOID.toString(), "--configdir", confDir.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "--run-dir", dir.resolve("run").toString(),
                "--prune-snapshots", "--readonly", "--verbose", "--force-prune");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("TZ", "UTC");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "sanoid did not finish");
        assertEquals(0, process.exitValue(), "sanoid failed:\n" + out);
        Set<String> pruned = new TreeSet<>();
        String prefix = "INFO: pruning ";
        for (String line : out.split("\n")) {
            if (line.startsWith(prefix) && line.contains("@")) {
                pruned.add(line.substring(prefix.length()).replace(" ...", "").strip());
            }
        }
        return pruned;
    }
}
