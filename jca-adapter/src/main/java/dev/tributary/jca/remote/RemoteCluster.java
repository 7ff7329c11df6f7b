package dev.tributary.jca.remote;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Where the remote brokers are and who the adapter is to them: the settings every client of one gateway shares.
 * Authenticated gateways speak SASL_PLAINTEXT with SCRAM-SHA-512.
 */
record RemoteCluster(String bootstrapServers, String user, String password) {

    static RemoteCluster anonymous(String bootstrapServers) {
        return new RemoteCluster(bootstrapServers, null, null);
    }

    RemoteCluster as(String user, char[] password) {
        return new RemoteCluster(bootstrapServers, user, new String(password));
    }

    /** {@code specific} plus the bootstrap servers and, when a user is set, its SASL settings. */
    Map<String, Object> clientConfig(Map<String, Object> specific) {
        Map<String, Object> config = new HashMap<>(specific);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (user != null) {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule "
                    + "required username=\"" + escaped(user) + "\" password=\"" + escaped(password) + "\";");
        }
        return config;
    }

    /** JAAS quotes: a backslash or a double quote in a name or password is escaped. */
    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RemoteCluster[" + bootstrapServers + (user == null ? "" : ", user " + user) + "]";
    }
}
