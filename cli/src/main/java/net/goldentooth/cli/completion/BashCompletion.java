package net.goldentooth.cli.completion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the bash completion script from the command model itself, so a new command or option
 * completes without anyone touching the script. Host patterns complete with the inventory's group
 * and host names, fetched at completion time by {@code goldentooth list_groups --names} and cached
 * for a minute; a pattern's last element completes after {@code ,} or {@code !}.
 */
public final class BashCompletion {

    /** The parameter labels whose values are inventory names. */
    private static final List<String> NAME_LABELS = List.of("<pattern>", "<node>");

    private BashCompletion() {
    }

    public static String script(CommandSpec root) {
        String name = root.name();
        Map<String, CommandLine> subcommands = new TreeMap<>(root.subcommands());
        StringBuilder cases = new StringBuilder();
        for (Map.Entry<String, CommandLine> entry : subcommands.entrySet()) {
            CommandSpec sub = entry.getValue().getCommandSpec();
            if (sub.usageMessage().hidden()) {
                continue;
            }
            cases.append(caseFor(entry.getKey(), sub));
        }
        return HEADER.replace("@NAME@", name)
                + FUNCTIONS
                + MAIN.replace("@COMMANDS@", String.join(" ", visible(subcommands)))
                      .replace("@ROOT_OPTIONS@", String.join(" ", optionNames(root, false)))
                      .replace("@ROOT_VALUE_OPTIONS@", String.join(" ", optionNames(root, true)))
                      .replace("@CASES@", cases.toString())
                + "complete -F _goldentooth " + name + "\n";
    }

    private static String caseFor(String name, CommandSpec sub) {
        StringBuilder text = new StringBuilder();
        text.append("    ").append(name).append(")\n");
        text.append("      flags=\"").append(String.join(" ", optionNames(sub, false))).append("\"\n");
        text.append("      valueopts=\"").append(String.join(" ", optionNames(sub, true))).append("\"\n");
        StringBuilder valueCases = new StringBuilder();
        for (OptionSpec option : sub.options()) {
            if (option.arity().max() == 0) {
                continue;
            }
            String action = valueAction(option);
            if (action != null) {
                valueCases.append("        ").append(String.join("|", option.names())).append(") ")
                        .append(action).append("; return 0 ;;\n");
            }
        }
        if (valueCases.length() > 0) {
            text.append("      case \"$prev\" in\n").append(valueCases).append("      esac\n");
        }
        List<String> kinds = new ArrayList<>();
        boolean repeats = false;
        for (PositionalParamSpec positional : sub.positionalParameters()) {
            kinds.add(kind(positional));
            repeats = positional.index().max() == Integer.MAX_VALUE || positional.arity().max() > 1;
        }
        text.append("      positionals=(").append(String.join(" ", kinds)).append(")\n");
        text.append("      repeats=").append(repeats ? 1 : 0).append("\n");
        text.append("      ;;\n");
        return text.toString();
    }

    private static String valueAction(OptionSpec option) {
        if (NAME_LABELS.contains(option.paramLabel())) {
            return "_goldentooth_hosts \"$cur\"";
        }
        if (option.completionCandidates() != null) {
            List<String> words = new ArrayList<>();
            option.completionCandidates().forEach(words::add);
            return "COMPREPLY=($(compgen -W \"" + String.join(" ", words) + "\" -- \"$cur\"))";
        }
        return null;
    }

    /** What a positional completes with, from its label: names, files, subcommands, a fixed word, nothing. */
    private static String kind(PositionalParamSpec positional) {
        String label = positional.paramLabel();
        if (NAME_LABELS.contains(label)) {
            return "names";
        }
        if (label.equals("<script>")) {
            return "files";
        }
        if (label.equals("<shell>")) {
            return "word:bash";
        }
        if (label.equalsIgnoreCase("COMMAND") && positional.command() != null
                && positional.command().userObject() instanceof CommandLine.HelpCommand) {
            return "commands";
        }
        return "none";
    }

    private static List<String> visible(Map<String, CommandLine> subcommands) {
        List<String> names = new ArrayList<>();
        subcommands.forEach((name, line) -> {
            if (!line.getCommandSpec().usageMessage().hidden()) {
                names.add(name);
            }
        });
        return names;
    }

    private static List<String> optionNames(CommandSpec spec, boolean takingValue) {
        TreeSet<String> names = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            if ((option.arity().max() > 0) == takingValue) {
                names.addAll(List.of(option.names()));
            }
        }
        return new ArrayList<>(names);
    }

    private static final String HEADER = """
            # bash completion for @NAME@ (written by `@NAME@ completion bash`).
            # Install for this shell:   source <(@NAME@ completion bash)
            # Host patterns complete with the inventory's group and host names from
            # `@NAME@ list_groups --names`, cached for 60 s in a file under ${TMPDIR:-/tmp}.

            """;

    private static final String FUNCTIONS = """
            _goldentooth_names() {
              local cache="${TMPDIR:-/tmp}/goldentooth-names.${UID}"
              if [[ ! -s "$cache" || -n "$(find "$cache" -mmin +1 2>/dev/null)" ]]; then
                if "${COMP_WORDS[0]}" "${_goldentooth_endpoint[@]}" list_groups --names >"$cache.$$" 2>/dev/null; then
                  mv -f "$cache.$$" "$cache"
                else
                  rm -f "$cache.$$"
                fi
              fi
              [[ -r "$cache" ]] && cat "$cache"
            }

            # Completes the last element of a pattern such as 'bettley,da' or 'all,!fe'.
            _goldentooth_hosts() {
              local cur="$1" word prefix
              word="${cur##*[,&:!]}"
              prefix="${cur:0:${#cur}-${#word}}"
              COMPREPLY=($(compgen -P "$prefix" -W "$(_goldentooth_names)" -- "$word"))
            }

            """;

    private static final String MAIN = """
            _goldentooth() {
              local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
              local commands="@COMMANDS@"
              local sub="" subidx=0 i w
              _goldentooth_endpoint=()
              for ((i = 1; i < COMP_CWORD; i++)); do
                w="${COMP_WORDS[i]}"
                if [[ "$w" == --provisioner ]]; then
                  _goldentooth_endpoint=(--provisioner "${COMP_WORDS[i+1]}")
                  i=$((i + 1))
                  continue
                fi
                if [[ "$w" != -* ]]; then
                  sub="$w"
                  subidx=$i
                  break
                fi
              done
              if [[ -z "$sub" ]]; then
                case " @ROOT_VALUE_OPTIONS@ " in *" $prev "*) return 0 ;; esac
                if [[ "$cur" == -* ]]; then
                  COMPREPLY=($(compgen -W "@ROOT_OPTIONS@ @ROOT_VALUE_OPTIONS@" -- "$cur"))
                else
                  COMPREPLY=($(compgen -W "$commands" -- "$cur"))
                fi
                return 0
              fi
              local flags="" valueopts="" repeats=0
              local -a positionals=()
              case "$sub" in
            @CASES@    *) return 0 ;;
              esac
              case " $valueopts " in *" $prev "*) return 0 ;; esac
              if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "$flags $valueopts" -- "$cur"))
                return 0
              fi
              local n=0 skip=0 j
              for ((j = subidx + 1; j < COMP_CWORD; j++)); do
                w="${COMP_WORDS[j]}"
                if ((skip)); then skip=0; continue; fi
                case " $valueopts " in *" $w "*) skip=1; continue ;; esac
                [[ "$w" == -* ]] && continue
                n=$((n + 1))
              done
              local kind=""
              if ((n < ${#positionals[@]})); then
                kind="${positionals[n]}"
              elif ((repeats && ${#positionals[@]} > 0)); then
                kind="${positionals[${#positionals[@]}-1]}"
              fi
              case "$kind" in
                names) _goldentooth_hosts "$cur" ;;
                files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
                commands) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
                word:*) COMPREPLY=($(compgen -W "${kind#word:}" -- "$cur")) ;;
              esac
              return 0
            }

            """;
}
