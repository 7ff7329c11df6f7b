package dev.tributary.broker.kafka.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class RepeatedRefusalsTest {

    private final RepeatedRefusals refusals = new RepeatedRefusals();

    @Test
    void aClientThatRetriesEverySecondIsNamedOnceInTenMinutes() {
        long start = 1_000_000_000L;
        assertEquals(Level.INFO, refusals.levelFor("10.0.0.7", start));
        for (int second = 1; second < 600; second++)
            assertEquals(Level.FINE, refusals.levelFor("10.0.0.7", start + second * 1_000_000_000L));
        assertEquals(Level.INFO, refusals.levelFor("10.0.0.7", start + RepeatedRefusals.QUIET_NANOS));
    }

    @Test
    void everyAddressIsNamedOnItsOwn() {
        assertEquals(Level.INFO, refusals.levelFor("10.0.0.7", 0));
        assertEquals(Level.INFO, refusals.levelFor("10.0.0.8", 1));
        assertEquals(Level.FINE, refusals.levelFor("10.0.0.8", 2));
    }

    @Test
    void aFloodFromManyAddressesIsRememberedWithinBounds() {
        for (int i = 0; i < RepeatedRefusals.MAX_ADDRESSES; i++)
            assertEquals(Level.INFO, refusals.levelFor("10.1." + (i / 256) + "." + (i % 256), i));
        assertEquals(Level.FINE, refusals.levelFor("10.9.9.9", RepeatedRefusals.MAX_ADDRESSES));
        assertEquals(Level.INFO, refusals.levelFor("10.9.9.9", RepeatedRefusals.QUIET_NANOS + 2_000));
    }
}
