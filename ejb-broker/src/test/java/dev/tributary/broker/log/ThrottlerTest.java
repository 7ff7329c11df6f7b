package dev.tributary.broker.log;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottlerTest {
    private long now;
    private final List<Long> sleeps = new ArrayList<>();

    private Throttler throttler(double bytesPerSecond) {
        return new Throttler(bytesPerSecond, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        });
    }

    @Test
    void keepsTheAverageRateOfAllCallersBelowTheLimit() throws InterruptedException {
        Throttler throttler = throttler(1_000_000); // 1 MB/s
        long start = now;
        for (int i = 0; i < 100; i++)
            throttler.acquire(100_000);
        double seconds = (now - start) / 1e9;
        assertEquals(10.0 - 0.1, seconds, 0.01, "10 MB at 1 MB/s, less the 100 ms burst");
    }

    @Test
    void letsABurstThroughWithoutWaitingAndSavesNoIdleTime() throws InterruptedException {
        Throttler throttler = throttler(1_000_000);
        throttler.acquire(100_000);
        assertEquals(List.of(), sleeps, "100 ms worth passes at once");
        now += TimeUnit.SECONDS.toNanos(60);
        throttler.acquire(200_000);
        assertEquals(1, sleeps.size(), "a minute idle does not allow a 200 ms flood");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), sleeps.get(0));
    }

    @Test
    void kafkasDefaultRateNeverWaits() throws InterruptedException {
        Throttler unlimited = throttler(Double.MAX_VALUE);
        assertFalse(unlimited.limited());
        unlimited.acquire(Long.MAX_VALUE);
        assertEquals(List.of(), sleeps);
        assertTrue(throttler(1).limited());
        assertThrows(IllegalArgumentException.class, () -> throttler(0));
    }
}
