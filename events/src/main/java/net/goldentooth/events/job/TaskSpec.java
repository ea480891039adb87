package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an agent runs for a task.
 *
 * @param command        run with {@code /bin/sh -c}
 * @param stdin          fed to standard input, then closed; null for none
 * @param root           run as root ({@code command_root}); refused unless the agent allows root
 * @param timeoutMs      the whole process tree is killed when this expires
 * @param maxOutputBytes output beyond this is dropped and the result marked truncated
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(String command, String stdin, boolean root, long timeoutMs, int maxOutputBytes) {
}
