package net.goldentooth.provisioner.enrolment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Enrolment tokens, {@code goldentooth.provisioner.enrolment.*}. */
@ConfigMapping(prefix = "goldentooth.provisioner.enrolment")
public interface EnrolmentConfig {

    /** How long a minted token may be used; one use only in any case. */
    @WithDefault("1h")
    Duration tokenLifetime();
}
