package dev.tributary.broker.cluster;

/**
 * This broker cannot join the brokers it found in the data grid, e.g. because it keeps its metadata in an embedded
 * database the others cannot see. Its start fails rather than let two brokers disagree about the cluster.
 */
public final class ClusterConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterConflictException(String message) {
        super(message);
    }
}
