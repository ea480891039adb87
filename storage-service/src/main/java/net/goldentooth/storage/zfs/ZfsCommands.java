package net.goldentooth.storage.zfs;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the shell commands this service sends to nodes (run with {@code /bin/sh -c} by the agent).
 * Every dataset and snapshot name is validated and single-quoted, so a name can never become shell.
 */
public final class ZfsCommands {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/ -]*(@[A-Za-z0-9_.:-]+)?");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9-]+");
    /** Printed by {@link #replicate} on standard output after the stream: the byte count. */
    public static final String BYTES_MARKER = "goldentooth-bytes ";

    private ZfsCommands() {
    }

    public static String quote(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a ZFS dataset or snapshot name: '" + name + "'");
        }
        return "'" + name + "'";
    }

    /** Creation time (epoch seconds) and guid of every snapshot of {@code dataset}. */
    public static String listSnapshots(String dataset) {
        return "zfs get -Hp -d 1 -o name,property,value creation,guid " + quote(dataset);
    }

    public static String snapshot(String dataset, String name, boolean recursive) {
        return "zfs snapshot " + (recursive ? "-r " : "") + quote(dataset + "@" + name);
    }

    /**
     * Destroys each snapshot on its own so that one failure (a hold, a clone) does not stop the
     * rest; each failure is reported on standard output as {@code failed <name>}. Never {@code -r}:
     * as in sanoid, a recursive policy's children are planned and pruned as datasets of their own.
     */
    public static String destroy(String dataset, List<String> names) {
        StringBuilder script = new StringBuilder();
        for (String name : names) {
            script.append("zfs destroy ").append(quote(dataset + "@" + name))
                    .append(" || echo 'failed ").append(name).append("'\n");
        }
        return script.toString();
    }

    /** {@code dataset} and every filesystem and volume below it, one name a line, the dataset first. */
    public static String listTree(String dataset) {
        return "zfs list -H -o name -t filesystem,volume -r " + quote(dataset);
    }

    /** {@code -} when there is no partial receive; fails on ZFS without resumable receive. */
    public static String resumeToken(String dataset) {
        return "zfs get -H -o value receive_resume_token " + quote(dataset);
    }

    public static String abortPartialReceive(String dataset) {
        return "zfs receive -A " + quote(dataset);
    }

    /** A user hold on the replication base, so no other tool (an old sanoid timer) destroys it. */
    public static String hold(String tag, String dataset, String name) {
        return "zfs hold " + quote(tag) + " " + quote(dataset + "@" + name);
    }

    /** Releasing a hold that is not there is not an error worth failing a run for. */
    public static String release(String tag, String dataset, String name) {
        return "zfs release " + quote(tag) + " " + quote(dataset + "@" + name) + " 2>/dev/null || true";
    }

    /** What a send stream starts from. */
    public sealed interface Stream permits Full, Incremental, Resume {
    }

    /** {@code zfs send <snap>}: the first snapshot to a target that has none. */
    public record Full(String dataset, String snapshot) implements Stream {
    }

    /** {@code zfs send -I <common> <latest>}: every snapshot between, intermediates included. */
    public record Incremental(String dataset, String common, String latest) implements Stream {
    }

    /** {@code zfs send -t <token>}: continue an interrupted resumable receive. */
    public record Resume(String token) implements Stream {
        public Resume {
            if (!TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException("not a receive_resume_token: '" + token + "'");
            }
        }
    }

    static String send(Stream stream) {
        if (stream instanceof Full f) {
            return "zfs send " + quote(f.dataset() + "@" + f.snapshot());
        }
        if (stream instanceof Incremental i) {
            return "zfs send -I " + quote(i.dataset() + "@" + i.common()) + " " + quote(i.dataset() + "@" + i.latest());
        }
        return "zfs send -t " + ((Resume) stream).token();
    }

    /**
     * The whole replication as one script run on the source: the stream is teed through
     * {@code wc -c} to count bytes and piped into {@code zfs receive -F} on the target
     * ({@code onTarget} turns the receive into the command that runs it there, e.g. through
     * {@code ssh ... gardener '<receive>'}; unchanged when source and target are the same machine).
     * {@code -s} makes the receive resumable
     * where ZFS supports it. Exit status is 0 only when both send and receive succeeded; send and
     * receive statuses are reported on standard error, the byte count on standard output.
     */
    public static String replicate(Stream stream, java.util.function.UnaryOperator<String> onTarget,
                                   String targetDataset, boolean resumable) {
        String receive = onTarget.apply("zfs receive -F " + (resumable ? "-s " : "") + quote(targetDataset));
        return "d=$(mktemp -d) || exit 1\n"
                + "{ " + send(stream) + "; echo $? >\"$d/send\"; } | "
                + "{ tee /dev/fd/3 | " + receive + "; echo $? >\"$d/receive\"; } 3>&1 >&2 | wc -c >\"$d/bytes\"\n"
                + "s=$(cat \"$d/send\"); r=$(cat \"$d/receive\"); b=$(cat \"$d/bytes\"); rm -rf \"$d\"\n"
                + "echo \"" + BYTES_MARKER + "$b\"\n"
                + "echo \"send exit $s, receive exit $r\" >&2\n"
                + "[ \"$s\" = 0 ] && [ \"$r\" = 0 ]\n";
    }

    /** The byte count {@link #replicate} printed, or 0 when it printed none. */
    public static long bytesSent(String stdout) {
        for (String line : stdout.split("\n")) {
            if (line.startsWith(BYTES_MARKER)) {
                try {
                    return Long.parseLong(line.substring(BYTES_MARKER.length()).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
