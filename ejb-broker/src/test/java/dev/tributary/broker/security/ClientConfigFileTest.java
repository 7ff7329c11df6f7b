package dev.tributary.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigFileTest {

    @TempDir
    Path dataDir;

    private static Properties parse(String text) throws Exception {
        Properties props = new Properties();
        props.load(new StringReader(text));
        return props;
    }

    @Test
    void writtenOwnerOnlyWithTheGeneratedPasswordAndTheStrongestScram() throws Exception {
        Files.writeString(dataDir.resolve("admin-password"), "s3cret-generated\n");
        Path file = ClientConfigFile.write(dataDir, "SASL_PLAINTEXT", SecureDefaults.SCRAM).orElseThrow();
        assertEquals(dataDir.resolve("client.properties"), file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Properties props = parse(Files.readString(file));
        assertEquals("SASL_PLAINTEXT", props.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", props.getProperty("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" "
                + "password=\"s3cret-generated\";", props.getProperty("sasl.jaas.config"));
    }

    @Test
    void plainOnlyWhenThatIsAllTheListenerOffersAndATrustStoreHintWithTls() throws Exception {
        Properties props = parse(ClientConfigFile.contents("admin", "pw", "SASL_SSL", List.of("PLAIN")));
        assertEquals("PLAIN", props.getProperty("sasl.mechanism"));
        assertTrue(props.getProperty("sasl.jaas.config").startsWith("org.apache.kafka.common.security.plain."));
        assertTrue(ClientConfigFile.contents("admin", "pw", "SASL_SSL", List.of("PLAIN")).contains("ssl.truststore"));
    }

    @Test
    void withoutSaslOnlyTheProtocol() throws Exception {
        Properties props = parse(ClientConfigFile.contents("admin", "pw", "PLAINTEXT", List.of()));
        assertEquals("PLAINTEXT", props.getProperty("security.protocol"));
        assertFalse(props.containsKey("sasl.jaas.config"));
    }

    @Test
    void aConfiguredPasswordIsNeverWrittenToAFile() {
        assertEquals(Optional.empty(), ClientConfigFile.write(dataDir, "SASL_PLAINTEXT", SecureDefaults.SCRAM));
        assertFalse(Files.exists(dataDir.resolve("client.properties")));
    }
}
