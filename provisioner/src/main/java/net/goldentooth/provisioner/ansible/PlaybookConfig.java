package net.goldentooth.provisioner.ansible;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Playbook jobs, {@code goldentooth.provisioner.playbooks.*}. The inventory is the provisioner's own. */
@ConfigMapping(prefix = "goldentooth.provisioner.playbooks")
public interface PlaybookConfig {

    /** Directory of the {@code setup_<name>.yaml} playbooks; relative paths are against the working directory. */
    @WithDefault("deploy/ansible")
    Path dir();

    /** The {@code ansible-playbook} executable (a name looked up on PATH, or a path). */
    @WithDefault("ansible-playbook")
    String ansiblePlaybook();

    /** Where each run's complete output is written as {@code <job id>.log}, whatever the history keeps. */
    @WithDefault("/var/lib/goldentooth/provisioner/playbook-logs")
    Path logDir();

    /** Time limit of a playbook run started through {@code POST /playbooks/{name}} that names none. */
    @WithDefault("1h")
    java.time.Duration defaultTimeout();

    /** When the output is longer than max-output-bytes, how much of its end the job history keeps. */
    @WithDefault("65536")
    int tailBytes();
}
