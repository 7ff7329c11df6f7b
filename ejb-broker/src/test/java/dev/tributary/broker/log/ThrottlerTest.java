package dev.tributary.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The throttler on a clock that moves only when a caller sleeps. */
class ThrottlerTest {

    private static final long MIB = 1024 * 1024;

    /** A clock and a sleeper in one: sleeping moves the clock. */
    private static final class VirtualTime {
        long nanos = 1_000_000_000L;
        long slept;
        int sleeps;

        void sleep(long duration) {
            nanos += duration;
            slept += duration;
            sleeps++;
        }
    }

    private final VirtualTime time = new VirtualTime();

    private Throttler throttler(double bytesPerSecond) {
        return new Throttler(bytesPerSecond, () -> time.nanos, time::sleep);
    }

    @Test
    void readingTenTimesTheRateTakesAboutTenSeconds() throws InterruptedException {
        Throttler throttler = throttler(MIB);
        for (int i = 0; i < 160; i++)
            throttler.acquire(64 * 1024); // 10 MiB
        double seconds = time.slept / 1e9;
        assertTrue(seconds > 9.8 && seconds <= 10.0, "slept " + seconds + " s for 10 MiB at 1 MiB/s");
    }

    @Test
    void aBurstOfATenthOfASecondPassesWithoutWaiting() throws InterruptedException {
        Throttler throttler = throttler(MIB);
        throttler.acquire(MIB / 10);
        assertEquals(0, time.sleeps);
        throttler.acquire(MIB / 10);
        assertEquals(1, time.sleeps, "past the burst, the caller waits");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), time.slept, 10_000);
    }

    @Test
    void idleTimeIsNotSavedUpForAFlood() throws InterruptedException {
        Throttler throttler = throttler(MIB);
        time.nanos += TimeUnit.HOURS.toNanos(1);
        throttler.acquire(MIB);
        double seconds = time.slept / 1e9;
        assertTrue(seconds > 0.89 && seconds < 0.91, "after an idle hour, 1 MiB still takes 0.9 s beyond the burst: "
                + seconds);
    }

    @Test
    void callersShareTheRate() throws InterruptedException {
        Throttler shared = throttler(MIB);
        for (int i = 0; i < 10; i++) {
            shared.acquire(MIB / 2); // one caller
            shared.acquire(MIB / 2); // another
        }
        double seconds = time.slept / 1e9;
        assertTrue(seconds > 9.8 && seconds <= 10.0, "10 MiB from two callers at 1 MiB/s: " + seconds + " s");
    }

    @Test
    void anUnlimitedThrottlerNeverWaits() throws InterruptedException {
        Throttler unlimited = throttler(Double.MAX_VALUE);
        assertFalse(unlimited.limited());
        unlimited.acquire(Long.MAX_VALUE);
        assertEquals(0, time.sleeps);
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Throttler(0));
        assertThrows(IllegalArgumentException.class, () -> new Throttler(Double.NaN));
    }
}
