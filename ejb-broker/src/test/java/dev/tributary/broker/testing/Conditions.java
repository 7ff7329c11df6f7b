package dev.tributary.broker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that other threads bring about (a leader elected, a follower caught up): polls it and
 * fails with a description of what was awaited and what was last seen if it does not hold within the time limit.
 */
public final class Conditions {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Conditions() {
    }

    public static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    /** @param state what to report if the condition never holds */
    public static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                fail("Not within " + LIMIT.toSeconds() + " s: " + what + "; " + state.get());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted while waiting until " + what);
            }
        }
    }
}
