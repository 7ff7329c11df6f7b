package dev.tributary.broker.group;

import java.util.Locale;
import java.util.Optional;

/** The protocol a group's members speak, named as ListGroups (v5+) and {@code kafka-consumer-groups} name it. */
public enum GroupType {
    /** JoinGroup/SyncGroup/Heartbeat, assignment made by the group's leader (the client). */
    CLASSIC("classic"),
    /** ConsumerGroupHeartbeat (KIP-848), assignment made by the coordinator. */
    CONSUMER("consumer");

    private final String kafkaName;

    GroupType(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }

    /** Parses a type name case-insensitively, as ListGroups' type filter does. */
    public static Optional<GroupType> fromKafkaName(String name) {
        for (GroupType type : values()) {
            if (type.kafkaName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
