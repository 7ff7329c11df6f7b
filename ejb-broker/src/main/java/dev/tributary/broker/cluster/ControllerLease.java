package dev.tributary.broker.cluster;

/**
 * The controller lease as a broker holds it: which broker, at which controller epoch. Every take-over of the lease
 * raises the epoch, so a lease of a lower epoch is stale whoever holds it.
 */
public record ControllerLease(int brokerId, long epoch) {
}
