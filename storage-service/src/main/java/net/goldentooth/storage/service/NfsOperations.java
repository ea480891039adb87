package net.goldentooth.storage.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.storage.nfs.ClientMount;
import net.goldentooth.storage.nfs.NfsCommands;
import net.goldentooth.storage.nfs.NfsExport;
import net.goldentooth.storage.nfs.NfsExports;
import net.goldentooth.storage.nfs.NfsLayout;
import net.goldentooth.storage.nfs.Showmount;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.NodeShellException;
import net.goldentooth.storage.shell.ShellResult;

/** Applies the NFS layout through jobs and checks the exports with {@code showmount -e}. */
public final class NfsOperations {

    /** What one node got: its exports file ({@code exports}) or its client units ({@code units}). */
    public record Applied(String node, String what, boolean ok, String error) {
    }

    /** A server's exports as showmount lists them, and the declared ones it does not. */
    public record ExportHealth(String server, List<String> exported, List<String> missing, String error) {
        public boolean healthy() {
            return error == null && missing.isEmpty();
        }
    }

    private final NodeShell shell;
    private final List<NfsExport> exports;
    private final NfsLayout layout;

    public NfsOperations(NodeShell shell, List<NfsExport> exports, NfsLayout layout) {
        this.shell = shell;
        this.exports = exports;
        this.layout = layout;
    }

    public NfsLayout layout() {
        return layout;
    }

    /** Writes each server's exports file and runs {@code exportfs -ra}; installs each client's units. */
    public List<Applied> apply() {
        List<Applied> results = new ArrayList<>();
        layout.exportsFiles().forEach((server, content) ->
                results.add(run(server, "exports", NfsExports.applyCommand(), content)));
        Map<String, List<ClientMount>> byClient = new LinkedHashMap<>();
        layout.clientMounts().forEach(m -> byClient.computeIfAbsent(m.node(), k -> new ArrayList<>()).add(m));
        byClient.forEach((client, mounts) ->
                results.add(run(client, "units", NfsCommands.installClientUnits(mounts), null)));
        return results;
    }

    public List<ExportHealth> health() {
        List<ExportHealth> results = new ArrayList<>();
        for (String server : layout.exportsFiles().keySet()) {
            try {
                ShellResult result = shell.run(server, NfsCommands.showmount(), null);
                if (!result.ok()) {
                    results.add(new ExportHealth(server, List.of(), List.of(), "showmount: " + result.errorLine()));
                } else {
                    results.add(new ExportHealth(server, Showmount.exportedPaths(result.stdout()),
                            Showmount.missing(exports, server, result.stdout()), null));
                }
            } catch (NodeShellException e) {
                results.add(new ExportHealth(server, List.of(), List.of(), e.getMessage()));
            }
        }
        return results;
    }

    private Applied run(String node, String what, String command, String stdin) {
        try {
            ShellResult result = shell.run(node, command, stdin);
            return new Applied(node, what, result.ok(), result.ok() ? null : result.errorLine());
        } catch (NodeShellException e) {
            return new Applied(node, what, false, e.getMessage());
        }
    }
}
