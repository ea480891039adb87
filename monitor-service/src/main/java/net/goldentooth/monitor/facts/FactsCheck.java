package net.goldentooth.monitor.facts;

import java.util.ArrayList;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Filesystem;
import net.goldentooth.events.facts.NodeFacts.Section;
import net.goldentooth.events.facts.ServiceCheck;

/**
 * Checks facts before rules see them. A missing section or an absurd value (negative memory, a
 * CPU at 10,000 °C) is a data error: the section is withheld from rule evaluation, so it can
 * raise no alert, and the error is reported instead. Pure.
 */
public final class FactsCheck {

    /** Below the coldest and above the hottest a running SoC survives. */
    static final double MIN_CELSIUS = -60;
    static final double MAX_CELSIUS = 150;
    /** Clock offsets beyond ten years are a broken collector, not a drifting clock. */
    static final double MAX_OFFSET_SECONDS = 10 * 365.25 * 86400;

    /** The facts with unusable sections set to null, and what was wrong. */
    public record Checked(NodeFacts facts, List<DataError> errors) {
    }

    public static Checked check(NodeFacts facts) {
        String node = facts.node();
        List<DataError> errors = new ArrayList<>();
        if (facts.collectedAt() == null) {
            errors.add(new DataError(node, "collectedAt", "missing"));
        }
        Section<NodeFacts.Thermal> thermal = facts.thermal();
        if (present(node, "thermal", thermal, errors)) {
            Double celsius = thermal.value().cpuTemperatureCelsius();
            if (celsius != null && (celsius.isNaN() || celsius < MIN_CELSIUS || celsius > MAX_CELSIUS)) {
                errors.add(new DataError(node, "thermal", "cpu temperature " + celsius + " °C is impossible"));
                thermal = null;
            }
        } else {
            thermal = null;
        }
        Section<NodeFacts.Load> load = facts.load();
        if (present(node, "load", load, errors)) {
            NodeFacts.Load l = load.value();
            if (bad(l.load1()) || bad(l.load5()) || bad(l.load15()) || l.cpus() <= 0) {
                errors.add(new DataError(node, "load", "negative or non-finite load, or no CPUs"));
                load = null;
            }
        } else {
            load = null;
        }
        Section<NodeFacts.Memory> memory = facts.memory();
        if (present(node, "memory", memory, errors)) {
            NodeFacts.Memory m = memory.value();
            if (m.totalBytes() <= 0 || m.availableBytes() < 0 || m.availableBytes() > m.totalBytes()
                    || m.swapTotalBytes() < 0 || m.swapFreeBytes() < 0 || m.swapFreeBytes() > m.swapTotalBytes()) {
                errors.add(new DataError(node, "memory", "impossible memory figures: total " + m.totalBytes()
                        + ", available " + m.availableBytes() + ", swap " + m.swapFreeBytes() + "/" + m.swapTotalBytes()));
                memory = null;
            }
        } else {
            memory = null;
        }
        Section<List<Filesystem>> filesystems = facts.filesystems();
        if (present(node, "filesystems", filesystems, errors)) {
            List<Filesystem> sane = new ArrayList<>();
            for (Filesystem fs : filesystems.value()) {
                if (fs.totalBytes() < 0 || fs.availableBytes() < 0 || fs.availableBytes() > fs.totalBytes()) {
                    errors.add(new DataError(node, "filesystems", "impossible sizes on " + fs.mountPoint()));
                } else {
                    sane.add(fs);
                }
            }
            if (sane.size() < filesystems.value().size()) {
                filesystems = new Section<>(List.copyOf(sane), filesystems.stale(), filesystems.error(),
                        filesystems.collectedAt());
            }
        } else {
            filesystems = null;
        }
        Section<NodeFacts.TimeSync> timeSync = facts.timeSync();
        if (present(node, "timeSync", timeSync, errors)) {
            Double offset = timeSync.value().offsetSeconds();
            if (offset != null && (offset.isNaN() || Math.abs(offset) > MAX_OFFSET_SECONDS)) {
                errors.add(new DataError(node, "timeSync", "clock offset " + offset + " s is impossible"));
                timeSync = null;
            }
        } else {
            timeSync = null;
        }
        Section<NodeFacts.Network> network = present(node, "network", facts.network(), errors) ? facts.network() : null;
        Section<List<ServiceCheck>> services = facts.services();
        if (services != null && services.value() != null && !services.value().stream().allMatch(FactsCheck::wellFormed)) {
            errors.add(new DataError(node, "services", "a service check without name, kind or state was left out"));
            services = new Section<>(services.value().stream().filter(FactsCheck::wellFormed).toList(), services.stale(),
                    services.error(), services.collectedAt());
        }
        Section<NodeFacts.Counters> counters = facts.counters();
        if (counters != null && counters.value() != null) {
            NodeFacts.Counters c = counters.value();
            if (bad(c.cpuBusySeconds()) || bad(c.cpuTotalSeconds()) || c.cpuBusySeconds() > c.cpuTotalSeconds()
                    || c.networkReceiveBytes() < 0 || c.networkTransmitBytes() < 0) {
                errors.add(new DataError(node, "counters", "impossible counters: CPU busy " + c.cpuBusySeconds()
                        + " s of " + c.cpuTotalSeconds() + " s, network " + c.networkReceiveBytes() + " B in, "
                        + c.networkTransmitBytes() + " B out"));
                counters = null;
            }
        }
        if (errors.isEmpty()) {
            // Nothing withheld: the facts as they came, without a copy (this runs for every fact of the fleet).
            return new Checked(facts, List.of());
        }
        NodeFacts checked = new NodeFacts(node, facts.collectedAt(), facts.sequence(), facts.agentVersion(),
                facts.host(), network, thermal, load, memory, filesystems, timeSync, facts.units(), facts.kernel(),
                facts.certificates(), facts.deliveryGap(), facts.simulated(), services, counters);
        return new Checked(checked, List.copyOf(errors));
    }

    private static boolean wellFormed(ServiceCheck c) {
        return c != null && c.name() != null && c.kind() != null && c.state() != null;
    }

    private static boolean present(String node, String name, Section<?> section, List<DataError> errors) {
        if (section == null || section.value() == null) {
            // A stale section without a last good value is the collector's failure, already named in its error.
            String why = section == null ? "missing" : "no value" + (section.error() == null ? "" : ": " + section.error());
            errors.add(new DataError(node, name, why));
            return false;
        }
        return true;
    }

    private static boolean bad(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) || value < 0;
    }

    private FactsCheck() {
    }
}
