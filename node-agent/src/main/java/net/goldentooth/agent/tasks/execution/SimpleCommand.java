package net.goldentooth.agent.tasks.execution;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A command the shell would only split into words and run, such as the seed's {@code uptime} or
 * {@code df -h /}: the agent executes those directly, sparing a {@code /bin/sh} exec per task
 * (about a third of a task's CPU with the command itself, bench/fanout). Anything else — quotes,
 * variables, globs, redirections, pipes, assignments, builtins and keywords — still goes to
 * {@code /bin/sh -c}, so the result is the one the shell would give.
 */
final class SimpleCommand {

    /** Characters that mean nothing to {@code sh} outside a word; spaces separate words. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:,+@%-]+( +[A-Za-z0-9_./:,+@%=-]+)*");

    /**
     * Names the shell runs itself, or whose builtin differs from the program of the same name
     * ({@code echo}, {@code printf}, {@code test}, {@code pwd}, {@code kill}), and its keywords.
     */
    private static final Set<String> SHELL_WORDS = Set.of(
            ".", ":", "alias", "bg", "break", "cd", "command", "continue", "echo", "eval", "exec", "exit",
            "export", "false", "fg", "getopts", "hash", "jobs", "kill", "local", "printf", "pwd", "read",
            "readonly", "return", "set", "shift", "test", "times", "trap", "true", "type", "ulimit", "umask",
            "unalias", "unset", "wait", "if", "then", "else", "elif", "fi", "case", "esac", "for", "while",
            "until", "do", "done", "in", "function", "select", "time");

    /** The words to execute, when {@code command} needs no shell. */
    static Optional<List<String>> words(String command) {
        String trimmed = command.strip();
        if (!PLAIN.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        List<String> words = List.of(trimmed.split(" +"));
        return SHELL_WORDS.contains(words.get(0)) ? Optional.empty() : Optional.of(words);
    }

    private SimpleCommand() {
    }
}
