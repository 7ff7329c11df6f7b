package dev.tributary.jca.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TributaryActivationSpecTest {

    @Test
    void defaultsApplyToOptionalProperties() throws Exception {
        TributaryActivationSpec spec = valid();
        ActivationConfig config = spec.config();
        assertEquals(List.of("orders", "payments"), config.topics());
        assertEquals("billing", config.groupId());
        assertEquals(false, config.fromEarliest());
        assertEquals(TributaryActivationSpec.DEFAULT_MAX_CONCURRENCY, config.maxConcurrency());
        assertEquals(TributaryActivationSpec.DEFAULT_MAX_POLL_RECORDS, config.maxPollRecords());
        assertEquals(3, config.retries());
        assertEquals(TributaryActivationSpec.DEFAULT_RETRY_BACKOFF_MS, config.retryBackoffMs());
        assertEquals(Optional.empty(), config.deadLetterTopic());
        assertTrue(config.readCommitted(), "records of Kafka transactions are delivered once committed");
    }

    @Test
    void everyInvalidOrMissingPropertyIsNamed() {
        assertInvalid("topics", spec -> spec.setTopics(" , "));
        assertInvalid("password", spec -> spec.setUser("alice"));
        assertInvalid("topics", spec -> spec.setTopics(null));
        assertInvalid("groupId", spec -> spec.setGroupId(""));
        assertInvalid("startFrom", spec -> spec.setStartFrom("yesterday"));
        assertInvalid("maxConcurrency", spec -> spec.setMaxConcurrency("0"));
        assertInvalid("maxConcurrency", spec -> spec.setMaxConcurrency("zero"));
        assertInvalid("maxPollRecords", spec -> spec.setMaxPollRecords("-5"));
        assertInvalid("retries", spec -> spec.setRetries("-1"));
        assertInvalid("retryBackoffMs", spec -> spec.setRetryBackoffMs("soon"));
        assertInvalid("isolationLevel", spec -> spec.setIsolationLevel("dirty"));
    }

    @Test
    void explicitValuesAreParsed() throws Exception {
        TributaryActivationSpec spec = valid();
        spec.setStartFrom("EARLIEST");
        spec.setMaxConcurrency("8");
        spec.setRetries("0");
        spec.setDeadLetterTopic(" orders-dlt ");
        spec.setIsolationLevel("READ_UNCOMMITTED");
        ActivationConfig config = spec.config();
        assertFalse(config.readCommitted());
        assertTrue(config.fromEarliest());
        assertEquals(8, config.maxConcurrency());
        assertEquals(0, config.retries());
        assertEquals(Optional.of("orders-dlt"), config.deadLetterTopic());
    }

    private static void assertInvalid(String property, Consumer<TributaryActivationSpec> change) {
        TributaryActivationSpec spec = valid();
        change.accept(spec);
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
        assertTrue(e.getMessage().contains("'" + property + "'"), e.getMessage());
    }

    private static TributaryActivationSpec valid() {
        TributaryActivationSpec spec = new TributaryActivationSpec();
        spec.setTopics("orders, payments");
        spec.setGroupId("billing");
        return spec;
    }
}
