package dev.tributary.broker.consumer;

import org.apache.kafka.common.protocol.Errors;

/** The coordinator refused what an in-process member asked, with an error no rejoin can fix. */
public class GroupMemberException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GroupMemberException(String groupId, String what, Errors error) {
        super("Group " + groupId + ": " + what + " failed with " + error.name() + " (" + error.message() + ")");
    }

    public GroupMemberException(String message) {
        super(message);
    }
}
