package dev.tributary.broker.cluster;

/**
 * A controller's change was refused because this broker no longer holds the controller lease at the epoch it
 * acted under (another broker took it over, or it expired): nothing of the change was stored.
 */
public final class ControllerFencedException extends RuntimeException {

    public ControllerFencedException(String message) {
        super(message);
    }
}
