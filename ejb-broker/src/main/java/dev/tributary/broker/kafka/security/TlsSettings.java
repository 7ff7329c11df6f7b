package dev.tributary.broker.kafka.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The Kafka listener's TLS identity: a key store (PKCS12 or JKS) with the broker's private key and certificate
 * chain. Clients authenticate the broker; client certificates are not asked for (clients authenticate with SASL).
 */
public record TlsSettings(Path keyStore, String keyStoreType, String password) {

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStoreType, "keyStoreType");
        Objects.requireNonNull(password, "password");
    }

    /** @throws IllegalArgumentException naming the key store if it cannot be read or holds no usable key */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance(keyStoreType);
            store.load(in, password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use the Kafka listener's key store " + keyStore + " ("
                    + keyStoreType + "): " + e.getMessage(), e);
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStore + ", type=" + keyStoreType + "]";
    }
}
