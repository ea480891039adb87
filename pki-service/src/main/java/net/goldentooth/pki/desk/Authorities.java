package net.goldentooth.pki.desk;

import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.ssh.SshCertificateAuthority;

/** The three CAs of an initialised pki-service: X.509 (root and intermediate), SSH host, SSH user. */
public record Authorities(CertificateAuthority x509, SshCertificateAuthority hosts, SshCertificateAuthority users) {

    /** Where the CAs are kept: loaded from their files, or made there the first time. */
    public interface Store {

        /** Whether the CAs were initialised before. */
        boolean exists();

        /** Loads the CAs, or creates them when {@code create}. */
        Authorities open(boolean create) throws java.io.IOException;
    }
}
