package net.goldentooth.storage.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads sanoid's configuration format ({@code sanoid.conf}, INI). Unlike sanoid, which ignores
 * with a warning what it cannot use, every problem here is an error naming the file, the line
 * and the reason: a retention policy that silently means something else is how snapshots vanish.
 * Monitoring keys ({@code monitor*}, {@code *_warn}, {@code *_crit}) are accepted and ignored
 * because monitoring belongs to monitor-service; sanoid's script and path keys are refused
 * because this service does not honour them.
 */
public final class SanoidConfigParser {

    private static final String TEMPLATE_PREFIX = "template_";
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/ -]*");
    private static final Pattern TEMPLATE = Pattern.compile("template_[A-Za-z0-9_.:-]+");
    private static final Set<String> TRUE = Set.of("1", "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON");
    private static final Set<String> FALSE = Set.of("0", "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF");
    private static final Set<String> TOGGLES = Set.of("autosnap", "autoprune");
    private static final Map<String, int[]> RANGES = Map.ofEntries(
            Map.entry("frequent_period", new int[] {1, 1440}),
            Map.entry("hourly_min", new int[] {0, 59}),
            Map.entry("daily_hour", new int[] {0, 23}),
            Map.entry("daily_min", new int[] {0, 59}),
            Map.entry("weekly_wday", new int[] {0, 6}),
            Map.entry("weekly_hour", new int[] {0, 23}),
            Map.entry("weekly_min", new int[] {0, 59}),
            Map.entry("monthly_mday", new int[] {1, 31}),
            Map.entry("monthly_hour", new int[] {0, 23}),
            Map.entry("monthly_min", new int[] {0, 59}),
            Map.entry("yearly_mon", new int[] {1, 12}),
            Map.entry("yearly_mday", new int[] {1, 31}),
            Map.entry("yearly_hour", new int[] {0, 23}),
            Map.entry("yearly_min", new int[] {0, 59}));
    private static final Set<String> UNSUPPORTED_SANOID_KEYS = Set.of("path", "process_children_only",
            "skip_children", "pre_snapshot_script", "post_snapshot_script", "pruning_script", "script_timeout",
            "no_inconsistent_snapshot", "force_post_snapshot_script", "prune_defer");

    private record Setting(String value, int line) {
    }

    private record Section(String name, int line, Map<String, Setting> settings) {
    }

    private SanoidConfigParser() {
    }

    /** Parses {@code text}; {@code file} only names the source in error messages. */
    public static SanoidConfig parse(String file, String text) {
        Map<String, Section> sections = new LinkedHashMap<>();
        Section current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new PolicyException(file, lineNo, "section header '" + line + "' has no closing ']'");
                }
                String name = line.substring(1, line.length() - 1).strip();
                checkSectionName(file, lineNo, name);
                if (sections.containsKey(name)) {
                    throw new PolicyException(file, lineNo, "section [" + name + "] appears twice (first on line "
                            + sections.get(name).line() + ")");
                }
                current = new Section(name, lineNo, new LinkedHashMap<>());
                sections.put(name, current);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new PolicyException(file, lineNo, "expected 'key = value' or '[section]', got '" + line + "'");
            }
            if (current == null) {
                throw new PolicyException(file, lineNo, "setting outside any [section]");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            checkSetting(file, lineNo, current.name(), key, value);
            Setting previous = current.settings().put(key, new Setting(value, lineNo));
            if (previous != null) {
                throw new PolicyException(file, lineNo, "key '" + key + "' set twice in [" + current.name()
                        + "] (first on line " + previous.line() + ")");
            }
        }
        return new SanoidConfig(file, resolve(file, sections));
    }

    private static void checkSectionName(String file, int line, String name) {
        if (name.startsWith(TEMPLATE_PREFIX)) {
            if (!TEMPLATE.matcher(name).matches()) {
                throw new PolicyException(file, line, "template name '" + name + "' has characters other than letters, digits, '_', '.', ':' and '-'");
            }
        } else if (!DATASET.matcher(name).matches() || name.endsWith("/") || name.contains("//")) {
            throw new PolicyException(file, line, "section [" + name + "] is neither a template_ nor a ZFS dataset name");
        }
    }

    private static void checkSetting(String file, int line, String section, String key, String value) {
        boolean template = section.startsWith(TEMPLATE_PREFIX);
        if (UNSUPPORTED_SANOID_KEYS.contains(key)) {
            throw new PolicyException(file, line, "sanoid key '" + key + "' is not supported by storage-service");
        }
        if (isMonitoringKey(key)) {
            return;
        }
        if (key.equals("use_template") || key.equals("recursive")) {
            if (template) {
                throw new PolicyException(file, line, "'" + key + "' is not allowed in template [" + section
                        + "] (sanoid ignores it there)");
            }
            if (key.equals("recursive") && !TRUE.contains(value) && !FALSE.contains(value)
                    && !value.equalsIgnoreCase("zfs")) {
                throw new PolicyException(file, line, "recursive = '" + value + "' is not yes, no or zfs");
            }
            if (key.equals("use_template") && value.isEmpty()) {
                throw new PolicyException(file, line, "use_template is empty");
            }
            return;
        }
        if (TOGGLES.contains(key)) {
            if (!TRUE.contains(value) && !FALSE.contains(value)) {
                throw new PolicyException(file, line, key + " = '" + value + "' is not yes or no");
            }
            return;
        }
        if (Period.fromKey(key).isPresent()) {
            integer(file, line, key, value, 0, 100_000);
            return;
        }
        int[] range = RANGES.get(key);
        if (range == null) {
            throw new PolicyException(file, line, "unknown key '" + key + "' in [" + section + "]");
        }
        integer(file, line, key, value, range[0], range[1]);
    }

    private static boolean isMonitoringKey(String key) {
        return key.equals("monitor") || key.equals("monitor_dont_warn") || key.equals("monitor_dont_crit")
                || key.equals("capacity_warn") || key.equals("capacity_crit")
                || ((key.endsWith("_warn") || key.endsWith("_crit"))
                        && Period.fromKey(key.substring(0, key.length() - 5)).isPresent());
    }

    private static int integer(String file, int line, String key, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new PolicyException(file, line, key + " = '" + value + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new PolicyException(file, line, key + " = " + parsed + " is out of range " + min + ".." + max);
        }
        return parsed;
    }

    private static List<DatasetPolicy> resolve(String file, Map<String, Section> sections) {
        Section userDefault = sections.get("template_default");
        List<DatasetPolicy> policies = new ArrayList<>();
        for (Section section : sections.values()) {
            if (section.name().startsWith(TEMPLATE_PREFIX)) {
                continue;
            }
            Map<String, Setting> effective = new HashMap<>();
            if (userDefault != null) {
                effective.putAll(userDefault.settings());
            }
            Setting use = section.settings().get("use_template");
            if (use != null) {
                for (String raw : use.value().split(",")) {
                    String name = raw.strip();
                    Section template = sections.get(TEMPLATE_PREFIX + name);
                    if (template == null) {
                        throw new PolicyException(file, use.line(), "use_template names '" + name
                                + "' but there is no [" + TEMPLATE_PREFIX + name + "]");
                    }
                    effective.putAll(template.settings());
                }
            }
            effective.putAll(section.settings());
            policies.add(toPolicy(section.name(), effective));
        }
        return policies;
    }

    private static DatasetPolicy toPolicy(String dataset, Map<String, Setting> settings) {
        Map<Period, Integer> retain = new java.util.EnumMap<>(Period.class);
        Map<Period, Integer> defaults = Map.of(Period.FREQUENTLY, 0, Period.HOURLY, 48, Period.DAILY, 90,
                Period.WEEKLY, 0, Period.MONTHLY, 6, Period.YEARLY, 0);
        for (Period period : Period.values()) {
            retain.put(period, number(settings, period.key(), defaults.get(period)));
        }
        Schedule d = Schedule.SANOID_DEFAULTS;
        Schedule schedule = new Schedule(
                number(settings, "frequent_period", d.frequentPeriodMinutes()),
                number(settings, "hourly_min", d.hourlyMin()),
                number(settings, "daily_hour", d.dailyHour()),
                number(settings, "daily_min", d.dailyMin()),
                number(settings, "weekly_wday", d.weeklyWday()),
                number(settings, "weekly_hour", d.weeklyHour()),
                number(settings, "weekly_min", d.weeklyMin()),
                number(settings, "monthly_mday", d.monthlyMday()),
                number(settings, "monthly_hour", d.monthlyHour()),
                number(settings, "monthly_min", d.monthlyMin()),
                number(settings, "yearly_mon", d.yearlyMon()),
                number(settings, "yearly_mday", d.yearlyMday()),
                number(settings, "yearly_hour", d.yearlyHour()),
                number(settings, "yearly_min", d.yearlyMin()));
        Setting recursive = settings.get("recursive");
        Recursion recursion = recursive == null || FALSE.contains(recursive.value()) ? Recursion.NONE
                : recursive.value().equalsIgnoreCase("zfs") ? Recursion.ZFS : Recursion.DATASETS;
        return new DatasetPolicy(dataset, retain, toggle(settings, "autosnap"), toggle(settings, "autoprune"),
                recursion, schedule);
    }

    private static int number(Map<String, Setting> settings, String key, int fallback) {
        Setting setting = settings.get(key);
        return setting == null ? fallback : Integer.parseInt(setting.value());
    }

    /** Sanoid's defaults switch both autosnap and autoprune on. */
    private static boolean toggle(Map<String, Setting> settings, String key) {
        Setting setting = settings.get(key);
        return setting == null || TRUE.contains(setting.value());
    }
}
