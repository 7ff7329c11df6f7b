package dev.tributary.broker.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code DATA_DIR/client.properties}: what a Kafka client needs to log in to this broker's listener as
 * {@value AdminAccount#NAME} with the generated password, for the console tools' {@code --command-config},
 * {@code --producer.config} and {@code --consumer.config}. Written (mode 600, as the password) at every start while
 * {@code DATA_DIR/admin-password} exists, so it follows the listener's settings; a password chosen with
 * {@code tributary.admin.password} is never written to a file.
 */
public final class ClientConfigFile {

    public static final String NAME = "client.properties";
    static final String PASSWORD_FILE = "admin-password";
    /** Preferred first: the strongest SCRAM, then PLAIN (which only a TLS listener offers by default). */
    private static final List<String> PREFERENCE = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

    private ClientConfigFile() {
    }

    /**
     * @param securityProtocol the listener's, e.g. {@code SASL_PLAINTEXT}
     * @param mechanisms       the listener's SASL mechanisms; empty without SASL
     * @return the file written, if {@code dataDir} holds a generated admin password
     */
    public static Optional<Path> write(Path dataDir, String securityProtocol, List<String> mechanisms) {
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        if (!Files.isRegularFile(passwordFile))
            return Optional.empty();
        String password;
        try {
            password = Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the generated admin password in " + passwordFile, e);
        }
        Path file = dataDir.resolve(NAME);
        PrivateFile.write(file, contents(AdminAccount.NAME, password, securityProtocol, mechanisms),
                "the Kafka client settings");
        return Optional.of(file);
    }

    static String contents(String user, String password, String securityProtocol, List<String> mechanisms) {
        StringBuilder text = new StringBuilder()
                .append("# Kafka client settings for this broker as '").append(user)
                .append("', written by Tributary at every start\n")
                .append("# (e.g. kafka-topics.sh --command-config, kafka-console-producer.sh --producer.config).\n")
                .append("security.protocol=").append(securityProtocol).append('\n');
        Optional<String> mechanism = PREFERENCE.stream().filter(mechanisms::contains).findFirst();
        if (mechanism.isPresent()) {
            String module = mechanism.get().equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            text.append("sasl.mechanism=").append(mechanism.get()).append('\n')
                    .append("sasl.jaas.config=").append(module).append(" required username=\"").append(user)
                    .append("\" password=\"").append(password).append("\";\n");
        }
        if (securityProtocol.endsWith("SSL"))
            text.append("# The broker's certificate must be trusted, e.g.:\n")
                    .append("# ssl.truststore.location=/path/to/truststore.p12\n")
                    .append("# ssl.truststore.password=...\n");
        return text.toString();
    }
}
