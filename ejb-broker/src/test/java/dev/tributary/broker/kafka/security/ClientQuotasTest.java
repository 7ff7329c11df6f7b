package dev.tributary.broker.kafka.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The byte-rate arithmetic (Kafka's), on a clock the test moves: 10 kB/s, 1 s windows. */
class ClientQuotasTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ClientQuotas quotas = new ClientQuotas(10_000, 1000, now::get);

    @Test
    void justUnderTheQuotaNothingIsThrottled() {
        for (int second = 0; second < 30; second++) {
            assertEquals(0, quotas.record("User:alice", 9_000), "second " + second);
            now.addAndGet(1000);
        }
    }

    @Test
    void aFirstBurstWithinTenSecondsOfQuotaIsNotThrottled() {
        assertEquals(0, quotas.record("User:alice", 100_000), "rated over the 10 s Kafka assumes at least");
    }

    @Test
    void beyondItTheThrottleIsWhatBringsTheRateBackToTheQuota() {
        assertEquals(5_000, quotas.record("User:alice", 150_000), "(15k/s - 10k/s) / 10k/s x 10 s");
        assertEquals(11_000, quotas.record("User:bob", 10_000_000), "at most the 11 windows");
        now.addAndGet(ClientQuotas.SAMPLES * 1000L);
        assertEquals(0, quotas.record("User:alice", 5_000), "old windows stop counting");
    }

    @Test
    void principalsHaveQuotasOfTheirOwn() {
        quotas.record("User:alice", 1_000_000);
        assertEquals(0, quotas.record("User:bob", 50_000));
    }
}
