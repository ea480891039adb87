package net.goldentooth.pki.authority;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A parsed PKCS#10 request whose self-signature verified: proof that the requester holds the
 * private key of the public key it wants certified. The key is a BouncyCastle key (see
 * {@link EcCrypto}): a renewal's proof, made with the same key, is verified with this very object.
 *
 * @param requestedNames DNS names and IP addresses of the CSR's subjectAltName extension request
 */
public record Csr(PublicKey publicKey, List<String> requestedNames) {

    private static final Map<ASN1ObjectIdentifier, String> ECDSA_SIGNATURES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA");

    /** Parses and verifies {@code pem}; every failure is an {@link InvalidCsrException} saying why. */
    public static Csr parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidCsrException("no CSR");
        }
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("CSR is not valid PEM: " + e.getMessage());
        }
        if (!(object instanceof PKCS10CertificationRequest request)) {
            throw new InvalidCsrException("no 'CERTIFICATE REQUEST' block");
        }
        JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request).setProvider(EcCrypto.provider());
        PublicKey key;
        try {
            key = jca.getPublicKey();
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new InvalidCsrException("CSR public key cannot be read: " + e.getMessage());
        }
        if (!"EC".equals(key.getAlgorithm()) && !"ECDSA".equals(key.getAlgorithm())) {
            throw new InvalidCsrException("CSR key is " + key.getAlgorithm() + "; only EC (P-256) keys are certified");
        }
        if (!selfSigned(request, key)) {
            throw new InvalidCsrException("CSR signature does not verify with its own public key");
        }
        return new Csr(key, requestedNames(request));
    }

    /**
     * One ECDSA verification of the CSR's self-signature. (BouncyCastle's own
     * {@code isSignatureValid} with a JCA verifier provider verifies ECDSA signatures twice, which
     * made CSR checking the largest cost of an issuance.)
     */
    private static boolean selfSigned(PKCS10CertificationRequest request, PublicKey key) {
        String algorithm = ECDSA_SIGNATURES.get(request.getSignatureAlgorithm().getAlgorithm());
        if (algorithm == null) {
            throw new InvalidCsrException("CSR is signed with " + request.getSignatureAlgorithm().getAlgorithm()
                    + "; only ECDSA with SHA-256, SHA-384 or SHA-512 is accepted");
        }
        try {
            Signature signature = EcCrypto.signature(algorithm);
            signature.initVerify(key);
            signature.update(request.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
            return signature.verify(request.getSignature());
        } catch (java.security.GeneralSecurityException | IOException | RuntimeException e) {
            throw new InvalidCsrException("CSR cannot be verified: " + e.getMessage());
        }
    }

    private static List<String> requestedNames(PKCS10CertificationRequest request) {
        List<String> names = new ArrayList<>();
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            Extension san = extensions.getExtension(Extension.subjectAlternativeName);
            if (san == null) {
                continue;
            }
            for (GeneralName name : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
                if (name.getTagNo() == GeneralName.dNSName) {
                    names.add(name.getName().toString());
                } else if (name.getTagNo() == GeneralName.iPAddress) {
                    names.add(ipText(ASN1OctetString.getInstance(name.getName()).getOctets()));
                } else {
                    throw new InvalidCsrException("CSR asks for a subjectAltName of type " + name.getTagNo()
                            + "; only DNS names and IP addresses are certified");
                }
            }
        }
        return names;
    }

    private static String ipText(byte[] octets) {
        try {
            return java.net.InetAddress.getByAddress(octets).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new InvalidCsrException("CSR has an IP address of " + octets.length + " bytes");
        }
    }
}
