package dev.tributary.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void countsEachObservationInItsBucketAndEveryBucketAbove() {
        LatencyHistogram histogram = new LatencyHistogram(0.001, 0.01, 0.1);
        histogram.record(TimeUnit.MICROSECONDS.toNanos(500)); // <= 1 ms
        histogram.record(TimeUnit.MILLISECONDS.toNanos(1));   // exactly on the bound: still <= 1 ms
        histogram.record(TimeUnit.MILLISECONDS.toNanos(50));  // <= 100 ms
        histogram.record(TimeUnit.SECONDS.toNanos(3));        // above every bound

        assertEquals(2, histogram.cumulativeCount(0));
        assertEquals(2, histogram.cumulativeCount(1));
        assertEquals(3, histogram.cumulativeCount(2));
        assertEquals(4, histogram.cumulativeCount(3), "+Inf holds every observation");
        assertEquals(4, histogram.count());
        assertEquals(3.0515, histogram.sumSeconds(), 1e-9);
    }

    @Test
    void aNegativeDurationFromAClockStepCountsAsZero() {
        LatencyHistogram histogram = new LatencyHistogram(0.001);
        histogram.record(-5);
        assertEquals(1, histogram.cumulativeCount(0));
        assertEquals(0.0, histogram.sumSeconds());
    }

    @Test
    void refusesBoundsThatDoNotIncrease() {
        assertThrows(IllegalArgumentException.class, () -> new LatencyHistogram(0.01, 0.01));
    }
}
