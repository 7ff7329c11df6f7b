package dev.tributary.broker.metadata;

import dev.tributary.broker.group.Assignment;
import dev.tributary.broker.group.ConsumerGroupMember;
import dev.tributary.broker.group.ConsumerGroupSnapshot;
import dev.tributary.broker.group.ConsumerGroupStoreException;
import dev.tributary.broker.group.CurrentAssignment;
import dev.tributary.broker.group.MemberState;
import dev.tributary.broker.group.MemberSubscription;
import dev.tributary.broker.group.SubscribedTopic;
import dev.tributary.broker.group.TargetAssignment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The binary form of a {@link ConsumerGroupSnapshot} in TRIB_CONSUMER_GROUP.SNAPSHOT. Version 1, big-endian:
 *
 * <pre>
 *   format version: short (1)
 *   group epoch: int; target epoch: int; targets: int count, then (member id: string, assignment) each
 *   members: int count, then each: member id, instance id?, rack id?, client id, client host: strings;
 *            rebalance timeout: int; subscribed names: int count, strings; regex?, server assignor?: strings;
 *            member epoch, previous member epoch: int; state: byte (0 stable, 1 unrevoked, 2 unreleased);
 *            assigned, pending revocation: assignment
 *   subscription metadata: int count, then (name: string, topic id: 2 longs, partitions: int) each
 *   string: modified UTF-8 (DataOutput.writeUTF); x?: a boolean "present", then x
 *   assignment: int topic count, then (topic id: 2 longs, int count, partitions: ints) each
 * </pre>
 *
 * A reader refuses versions it does not know, and data it cannot parse, with a {@link ConsumerGroupStoreException}.
 */
final class ConsumerGroupSnapshotCodec {

    static final short VERSION = 1;
    /** A member's state by its stored byte: fixed here, whatever the enum's order. */
    private static final List<MemberState> STATES = List.of(MemberState.STABLE, MemberState.UNREVOKED_PARTITIONS,
            MemberState.UNRELEASED_PARTITIONS);

    private ConsumerGroupSnapshotCodec() {
    }

    static byte[] encode(ConsumerGroupSnapshot snapshot) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(VERSION);
            out.writeInt(snapshot.groupEpoch());
            out.writeInt(snapshot.target().epoch());
            out.writeInt(snapshot.target().members().size());
            for (Map.Entry<String, Assignment> target : snapshot.target().members().entrySet()) {
                out.writeUTF(target.getKey());
                write(out, target.getValue());
            }
            out.writeInt(snapshot.members().size());
            for (ConsumerGroupMember member : snapshot.members()) {
                write(out, member);
            }
            out.writeInt(snapshot.subscriptionMetadata().size());
            for (SubscribedTopic topic : snapshot.subscriptionMetadata().values()) {
                out.writeUTF(topic.name());
                write(out, topic.id());
                out.writeInt(topic.partitions());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    static ConsumerGroupSnapshot decode(String groupId, byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            short version = in.readShort();
            if (version != VERSION) {
                throw new ConsumerGroupStoreException("Consumer group " + groupId + " is stored in format version "
                        + version + ", which this broker does not know (it knows " + VERSION + ")");
            }
            int groupEpoch = in.readInt();
            int targetEpoch = in.readInt();
            int targets = in.readInt();
            Map<String, Assignment> target = new HashMap<>();
            for (int i = 0; i < targets; i++) {
                target.put(in.readUTF(), readAssignment(in));
            }
            int memberCount = in.readInt();
            List<ConsumerGroupMember> members = new ArrayList<>();
            for (int i = 0; i < memberCount; i++) {
                members.add(readMember(in));
            }
            int topics = in.readInt();
            Map<String, SubscribedTopic> metadata = new HashMap<>();
            for (int i = 0; i < topics; i++) {
                SubscribedTopic topic = new SubscribedTopic(in.readUTF(), readUuid(in), in.readInt());
                metadata.put(topic.name(), topic);
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the end");
            }
            return new ConsumerGroupSnapshot(groupId, groupEpoch, new TargetAssignment(targetEpoch, target), members,
                    metadata);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ConsumerGroupStoreException("The stored snapshot of consumer group " + groupId
                    + " cannot be read: " + e, e);
        }
    }

    private static void write(DataOutputStream out, ConsumerGroupMember member) throws IOException {
        out.writeUTF(member.memberId());
        writeOptional(out, member.instanceId());
        writeOptional(out, member.rackId());
        out.writeUTF(member.clientId());
        out.writeUTF(member.clientHost());
        out.writeInt(member.rebalanceTimeoutMs());
        MemberSubscription subscription = member.subscription();
        out.writeInt(subscription.topicNames().size());
        for (String name : subscription.topicNames()) {
            out.writeUTF(name);
        }
        writeOptional(out, subscription.topicRegex());
        writeOptional(out, subscription.serverAssignor());
        CurrentAssignment current = member.current();
        out.writeInt(current.memberEpoch());
        out.writeInt(current.previousMemberEpoch());
        out.writeByte(STATES.indexOf(current.state()));
        write(out, current.assigned());
        write(out, current.pendingRevocation());
    }

    private static ConsumerGroupMember readMember(DataInputStream in) throws IOException {
        String memberId = in.readUTF();
        Optional<String> instanceId = readOptional(in);
        Optional<String> rackId = readOptional(in);
        String clientId = in.readUTF();
        String clientHost = in.readUTF();
        int rebalanceTimeoutMs = in.readInt();
        int names = in.readInt();
        TreeSet<String> topicNames = new TreeSet<>();
        for (int i = 0; i < names; i++) {
            topicNames.add(in.readUTF());
        }
        MemberSubscription subscription = new MemberSubscription(topicNames, readOptional(in), readOptional(in));
        int epoch = in.readInt();
        int previousEpoch = in.readInt();
        MemberState state = STATES.get(in.readByte());
        CurrentAssignment current = new CurrentAssignment(epoch, previousEpoch, state, readAssignment(in),
                readAssignment(in));
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                subscription, current);
    }

    private static void write(DataOutputStream out, Assignment assignment) throws IOException {
        out.writeInt(assignment.partitions().size());
        for (Map.Entry<Uuid, SortedSet<Integer>> topic : assignment.partitions().entrySet()) {
            write(out, topic.getKey());
            out.writeInt(topic.getValue().size());
            for (int partition : topic.getValue()) {
                out.writeInt(partition);
            }
        }
    }

    private static Assignment readAssignment(DataInputStream in) throws IOException {
        Assignment.Builder assignment = new Assignment.Builder();
        int topics = in.readInt();
        for (int i = 0; i < topics; i++) {
            Uuid topicId = readUuid(in);
            int partitions = in.readInt();
            for (int p = 0; p < partitions; p++) {
                assignment.add(topicId, in.readInt());
            }
        }
        return assignment.build();
    }

    private static void write(DataOutputStream out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static Uuid readUuid(DataInputStream in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }

    private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeUTF(value.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }
}
