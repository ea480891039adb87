package net.goldentooth.storage.nfs;

/**
 * One export, as an exports(5) line on its server.
 *
 * @param server  the inventory host serving it
 * @param path    the exported directory
 * @param clients exports(5) client specification ({@code *}, {@code 10.4.0.0/20}, a host name)
 * @param options exports(5) options without parentheses ({@code rw,sync,no_root_squash,no_subtree_check})
 */
public record NfsExport(String server, String path, String clients, String options) {

    public String exportsLine() {
        return path + " " + clients + "(" + options + ")";
    }
}
