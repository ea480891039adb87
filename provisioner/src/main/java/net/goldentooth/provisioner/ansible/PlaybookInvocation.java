package net.goldentooth.provisioner.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.provisioner.inventory.Inventory;

/**
 * One {@code ansible-playbook} run, checked: a playbook name that cannot leave the playbook
 * directory, an optional {@code --limit}, and extra variables. The argv is a list handed to the
 * operating system as it is, never to a shell; the extra variables travel as one JSON object
 * ({@code -e '{"k":"v"}'}), because Ansible splits {@code k=v} arguments on spaces and would read a
 * value with a space as a second variable. Pure.
 *
 * @param playbook  {@code setup_<name>}
 * @param limit     the host pattern for {@code --limit}; null for the whole inventory
 * @param extraVars in the order given
 */
public record PlaybookInvocation(String playbook, String limit, Map<String, String> extraVars) {

    /** {@code setup_} then lower-case letters, digits, {@code _} and {@code -}: no dots, no slashes. */
    public static final Pattern NAME = Pattern.compile("setup_[a-z0-9][a-z0-9_-]*");
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    public PlaybookInvocation {
        extraVars = extraVars == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraVars));
    }

    /** @throws PlaybookException naming the part at fault */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PlaybookException("playbook name '" + name + "' is invalid: it must match "
                    + NAME.pattern(), List.of());
        }
    }

    /** Parses {@code -e} values: each {@code key=value}, the key an identifier, the value one line. */
    public static Map<String, String> parseExtraVars(List<String> pairs) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new PlaybookException("extra variable '" + pair + "' is not key=value", List.of());
            }
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (!VAR_NAME.matcher(key).matches()) {
                throw new PlaybookException("extra variable name '" + key + "' is invalid: it must match "
                        + VAR_NAME.pattern(), List.of());
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                throw new PlaybookException("extra variable '" + key + "' has a line break or NUL in its value",
                        List.of());
            }
            vars.put(key, value);
        }
        return vars;
    }

    /**
     * The job request that runs this invocation: {@code command} the playbook, {@code pattern} the
     * limit ({@code all} when none), {@code stdin} the extra variables one {@code key=value} per line.
     */
    public JobRequest toRequest(String idempotencyKey, Integer timeoutSeconds, String requestedBy) {
        StringBuilder lines = new StringBuilder();
        extraVars.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        return new JobRequest(idempotencyKey, JobKind.PLAYBOOK, limit == null ? Inventory.ALL : limit, playbook,
                lines.isEmpty() ? null : lines.toString(), timeoutSeconds, null, false, requestedBy);
    }

    /** The inverse of {@link #toRequest}; a pattern of {@code all} means no {@code --limit}. */
    public static PlaybookInvocation fromRequest(JobRequest request) {
        checkName(request.command());
        List<String> pairs = request.stdin() == null ? List.of()
                : request.stdin().lines().filter(l -> !l.isEmpty()).toList();
        String limit = request.pattern() == null || request.pattern().equals(Inventory.ALL) ? null : request.pattern();
        return new PlaybookInvocation(request.command(), limit, parseExtraVars(pairs));
    }

    /** {@code ansible-playbook <playbook> -i <inventory> [--limit L] [-e JSON]}, as an argv list. */
    public List<String> argv(String ansiblePlaybook, Path playbookFile, Path inventory) {
        List<String> argv = new ArrayList<>(List.of(ansiblePlaybook, playbookFile.toString(), "-i", inventory.toString()));
        if (limit != null) {
            argv.add("--limit");
            argv.add(limit);
        }
        if (!extraVars.isEmpty()) {
            try {
                argv.add("-e");
                argv.add(JSON.writeValueAsString(extraVars));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a map of strings always serialises", e);
            }
        }
        return argv;
    }
}
