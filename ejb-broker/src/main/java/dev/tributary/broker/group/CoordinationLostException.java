package dev.tributary.broker.group;

import org.apache.kafka.common.errors.NotCoordinatorException;

/**
 * The metadata database says another broker, whose session is live, coordinates the group now: this broker's view
 * of the group is stale, and it must stop serving it. Nothing of the write that found out was stored.
 */
public final class CoordinationLostException extends NotCoordinatorException {

    private final String groupId;

    public CoordinationLostException(String groupId, String message) {
        super(message);
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }
}
