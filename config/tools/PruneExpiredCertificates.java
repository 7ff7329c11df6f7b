import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;

/**
 * Removes the certificates that have expired from a PKCS12 trust store. bin/tributary runs it on the trust store of
 * the Payara Micro runtime it keeps under the data directory (java PruneExpiredCertificates.java STORE PASSWORD):
 * Payara ships one with expired authorities and logs each of them, with its whole certificate, at every start, while
 * an expired authority validates nothing. Prints how many it removed; leaves the file alone if none.
 */
public final class PruneExpiredCertificates {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java PruneExpiredCertificates.java TRUST_STORE PASSWORD");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        char[] password = args[1].toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        Date now = new Date();
        List<String> expired = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            Certificate certificate = store.getCertificate(alias);
            if (certificate instanceof X509Certificate x509 && x509.getNotAfter().before(now)) {
                expired.add(alias);
            }
        }
        if (!expired.isEmpty()) {
            for (String alias : expired) {
                store.deleteEntry(alias);
            }
            // Written beside it and moved over it: a broker starting meanwhile reads the old store or the new one.
            Path pruned = file.resolveSibling(file.getFileName() + ".pruned");
            try (OutputStream out = Files.newOutputStream(pruned)) {
                store.store(out, password);
            }
            Files.move(pruned, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println(expired.size());
    }
}
