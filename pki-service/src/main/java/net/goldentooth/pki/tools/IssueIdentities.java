package net.goldentooth.pki.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import net.goldentooth.pki.authority.CaPassword;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.pki.authority.SecureFiles;
import net.goldentooth.pki.policy.LifetimePolicy;
import net.goldentooth.pki.policy.Names;

/**
 * The certificates the control plane needs before anything runs on a bus with mutual TLS: the
 * broker's (its address among its names), one per service (CN = the service's Kafka principal),
 * and any operator's. None of them can be requested over Kafka: the bus needs them to exist first.
 * So this runs on the CA's own machine, against pki-service's state directory while pki-service
 * is stopped, initialising the CA when it is not; each key is made here and written mode 0600.
 *
 * <pre>
 * java -cp 'pki-service/target/quarkus-app/lib/main/*:pki-service/target/quarkus-app/app/*' \
 *     net.goldentooth.pki.tools.IssueIdentities --state-dir DIR --password-file FILE --out DIR \
 *     [--lifetime 168h] [--renew-within 24h] NAME[=SAN,SAN...] ...
 * </pre>
 *
 * For each NAME it writes {@code <out>/<NAME>.pem} (leaf then intermediate: what a TLS client or
 * server presents), {@code <out>/<NAME>.key} (PKCS#8) and, once, {@code <out>/root.pem}. A
 * certificate still valid for longer than {@code --renew-within} is kept (so running it at every
 * start changes nothing); an older one is replaced with a new key. NotBefore is back-dated
 * {@link LifetimePolicy#TRUSTED_BACKDATE}: agents check these on their own clock, which may be behind.
 */
public final class IssueIdentities {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

    record Identity(String name, List<String> dnsNames, List<String> ipAddresses) {
        static Identity parse(String argument) {
            int eq = argument.indexOf('=');
            String name = eq < 0 ? argument : argument.substring(0, eq);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a name (1-63 letters, digits, '.', '_', '-')");
            }
            List<String> dns = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            if (eq >= 0) {
                for (String san : argument.substring(eq + 1).split(",")) {
                    String s = san.strip();
                    if (s.isEmpty()) {
                        continue;
                    }
                    if (Names.isIpLiteral(s)) {
                        ips.add(s);
                    } else if (s.matches("[A-Za-z0-9.-]+")) {
                        dns.add(s);
                    } else {
                        throw new IllegalArgumentException("'" + s + "' (for " + name + ") is neither a DNS name nor an IP address");
                    }
                }
            }
            return new Identity(name, List.copyOf(dns), List.copyOf(ips));
        }
    }

    record Options(Path stateDir, Path passwordFile, Path out, Duration lifetime, Duration renewWithin,
                   List<Identity> identities) {
        static Options parse(String[] args) {
            Path state = null;
            Path password = null;
            Path out = null;
            Duration lifetime = Duration.ofHours(168);
            Duration renewWithin = Duration.ofHours(24);
            List<Identity> identities = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--state-dir" -> state = Path.of(value(args, ++i));
                    case "--password-file" -> password = Path.of(value(args, ++i));
                    case "--out" -> out = Path.of(value(args, ++i));
                    case "--lifetime" -> lifetime = duration(args, ++i);
                    case "--renew-within" -> renewWithin = duration(args, ++i);
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                        }
                        identities.add(Identity.parse(args[i]));
                    }
                }
            }
            if (state == null || password == null || out == null) {
                throw new IllegalArgumentException("--state-dir, --password-file and --out are required");
            }
            if (identities.isEmpty()) {
                throw new IllegalArgumentException("name at least one identity (e.g. provisioner kafka=127.0.0.1)");
            }
            if (!renewWithin.minus(lifetime).isNegative()) {
                throw new IllegalArgumentException("--renew-within " + renewWithin + " must be shorter than --lifetime "
                        + lifetime);
            }
            return new Options(state, password, out, lifetime, renewWithin, identities);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static Duration duration(String[] args, int i) {
            String text = value(args, i);
            try {
                Duration d = text.matches("\\d+h") ? Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)))
                        : Duration.parse(text);
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("must be positive");
                }
                return d;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(args[i - 1] + " '" + text + "' is not a positive duration "
                        + "like 168h or PT24H", e);
            }
        }
    }

    public static void main(String[] args) {
        try {
            run(Options.parse(args), Clock.systemUTC(), System.out);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("issue-identities: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(Options options, Clock clock, PrintStream out) throws IOException {
        char[] password = CaPassword.loadOrCreate(options.passwordFile());
        CertificateAuthority ca;
        if (CertificateAuthority.exists(options.stateDir())) {
            ca = CertificateAuthority.load(options.stateDir(), password);
        } else {
            Files.createDirectories(options.stateDir());
            ca = CertificateAuthority.initialise(options.stateDir(), password, clock);
            out.println("initialised the CA in " + options.stateDir());
        }
        Files.createDirectories(options.out());
        SecureFiles.write(options.out().resolve("root.pem"), Pem.of(ca.root()).getBytes(StandardCharsets.US_ASCII),
                SecureFiles.PUBLIC);
        Instant now = clock.instant();
        for (Identity identity : options.identities()) {
            Path certificate = options.out().resolve(identity.name() + ".pem");
            Path key = options.out().resolve(identity.name() + ".key");
            if (stillGood(ca, certificate, key, identity, now.plus(options.renewWithin()))) {
                out.println(identity.name() + ": kept " + certificate);
                continue;
            }
            KeyPair keys = newKey();
            X509Certificate leaf = ca.issue(new CertificateAuthority.LeafSpec(keys.getPublic(), identity.name(),
                    identity.name() + "/identity", identity.dnsNames(), identity.ipAddresses(),
                    now.minus(LifetimePolicy.TRUSTED_BACKDATE), now.plus(options.lifetime())));
            SecureFiles.write(key, pkcs8(keys).getBytes(StandardCharsets.US_ASCII), SecureFiles.PRIVATE);
            SecureFiles.write(certificate, (Pem.of(leaf) + Pem.of(ca.intermediate())).getBytes(StandardCharsets.US_ASCII),
                    SecureFiles.PUBLIC);
            out.println(identity.name() + ": issued " + certificate + " serial " + leaf.getSerialNumber().toString(16)
                    + " until " + leaf.getNotAfter().toInstant());
        }
    }

    /** The files exist, the leaf is ours, names the same SANs, and is valid past {@code until}. */
    private static boolean stillGood(CertificateAuthority ca, Path certificate, Path key, Identity identity,
                                     Instant until) throws IOException {
        if (!Files.isRegularFile(certificate) || !Files.isRegularFile(key)) {
            return false;
        }
        try {
            X509Certificate leaf = Pem.certificate(Files.readString(certificate, StandardCharsets.US_ASCII));
            leaf.verify(ca.intermediate().getPublicKey());
            List<String> names = new ArrayList<>();
            if (leaf.getSubjectAlternativeNames() != null) {
                leaf.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
            }
            List<String> wanted = new ArrayList<>(identity.dnsNames());
            wanted.addAll(identity.ipAddresses());
            return leaf.getNotAfter().toInstant().isAfter(until) && names.size() == wanted.size()
                    && names.containsAll(wanted);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 17 has EC secp256r1", e);
        }
    }

    private static String pkcs8(KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
