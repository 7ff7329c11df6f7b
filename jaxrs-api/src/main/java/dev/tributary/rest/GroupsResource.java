package dev.tributary.rest;

import dev.tributary.broker.group.GroupAdmin;
import dev.tributary.broker.group.GroupView;
import dev.tributary.broker.group.MemberView;
import dev.tributary.broker.group.OffsetResetTarget;
import dev.tributary.broker.group.PartitionLag;
import dev.tributary.rest.dto.CommittedOffsetDto;
import dev.tributary.rest.dto.GroupDetails;
import dev.tributary.rest.dto.GroupList;
import dev.tributary.rest.dto.GroupMemberDto;
import dev.tributary.rest.dto.GroupSummaryDto;
import dev.tributary.rest.dto.Problem;
import dev.tributary.rest.dto.ResetOffsetsRequest;
import dev.tributary.rest.dto.ResetOffsetsResponse;
import dev.tributary.rest.dto.TopicPartitionDto;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Consumer groups: list, describe with lag, delete, and reset committed offsets while a group is empty. */
@Path("/groups")
@Tag(name = "Consumer groups")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class GroupsResource {

    private static final String CONSUMER_PROTOCOL = "consumer";

    @Inject
    GroupAdmin groups;

    @Operation(summary = "List consumer groups")
    @APIResponse(responseCode = "200", description = "All groups",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupList.class)))
    @GET
    public GroupList list() {
        return new GroupList(groups.groups().stream()
                .map(g -> new GroupSummaryDto(g.groupId(), g.type().kafkaName(), g.state().kafkaName(),
                        g.protocolType().orElse(null), g.members()))
                .toList());
    }

    @Operation(summary = "Describe a group: members, assignments, committed offsets and lag")
    @APIResponse(responseCode = "200", description = "The group",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupDetails.class)))
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @GET
    @Path("/{id}")
    public GroupDetails describe(@PathParam("id") String groupId) {
        GroupView group = groups.group(groupId)
                .orElseThrow(() -> new GroupIdNotFoundException("Group '" + groupId + "' does not exist"));
        boolean consumers = group.protocolType().map(CONSUMER_PROTOCOL::equals).orElse(false);
        return new GroupDetails(group.groupId(), group.type().kafkaName(), group.state().kafkaName(),
                group.protocolType().orElse(null), group.protocolName().orElse(null), group.generationId(),
                group.leaderId().orElse(null),
                group.members().stream().map(m -> member(m, consumers)).toList(),
                groups.lag(group).stream().map(GroupsResource::offset).toList());
    }

    @Operation(summary = "Delete a group without members")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The group has members",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String groupId) {
        groups.delete(groupId);
        return Response.noContent().build();
    }

    @Operation(summary = "Move a group's committed offsets (only while it is empty), or preview where they would go")
    @APIResponse(responseCode = "200", description = "The offsets now committed (with dryRun: that would be)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResetOffsetsResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed request",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such topic or partition",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The group has members",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/{id}/offsets")
    @Consumes(MediaType.APPLICATION_JSON)
    public ResetOffsetsResponse resetOffsets(@PathParam("id") String groupId,
                                             @Parameter(description = "true: compute the new offsets, commit nothing")
                                             @QueryParam("dryRun") boolean dryRun,
                                             ResetOffsetsRequest request) {
        if (request == null || request.topic() == null || request.to() == null) {
            throw new InvalidRequestException(
                    "Expected {\"topic\": ..., \"to\": \"earliest|latest|timestamp|offset\", ...}");
        }
        List<Integer> partitions = partitions(request.partitions());
        OffsetResetTarget target = target(request);
        Map<org.apache.kafka.common.TopicPartition, Long> reset = dryRun
                ? groups.previewResetOffsets(request.topic(), partitions, target)
                : groups.resetOffsets(groupId, request.topic(), partitions, target);
        return new ResetOffsetsResponse(groupId, reset.entrySet().stream()
                .map(e -> new CommittedOffsetDto(e.getKey().topic(), e.getKey().partition(), e.getValue(), null, null,
                        null, null))
                .toList());
    }

    static OffsetResetTarget target(ResetOffsetsRequest request) {
        return switch (request.to()) {
            case "earliest" -> new OffsetResetTarget.Earliest();
            case "latest" -> new OffsetResetTarget.Latest();
            case "timestamp" -> new OffsetResetTarget.AtTimestamp(required(request.timestamp(), "timestamp"));
            case "offset" -> new OffsetResetTarget.Explicit(required(request.offset(), "offset"));
            default -> throw new InvalidRequestException(
                    "\"to\" must be earliest, latest, timestamp or offset, not '" + request.to() + "'");
        };
    }

    private static long required(WholeNumber value, String field) {
        if (value == null) {
            throw new InvalidRequestException("\"" + field + "\" must be given as a non-negative number");
        }
        return value.toLong(field, 0, Long.MAX_VALUE);
    }

    /** The partitions asked for; none (absent or empty) means all of the topic's. */
    static List<Integer> partitions(List<WholeNumber> requested) {
        if (requested == null) {
            return List.of();
        }
        List<Integer> partitions = new ArrayList<>(requested.size());
        for (int i = 0; i < requested.size(); i++) {
            String field = "partitions[" + i + "]";
            if (requested.get(i) == null) {
                throw new InvalidRequestException(field + " is null");
            }
            partitions.add(requested.get(i).toInt(field, 0, Integer.MAX_VALUE));
        }
        return partitions;
    }

    private static GroupMemberDto member(MemberView member, boolean consumers) {
        return new GroupMemberDto(member.memberId(), member.groupInstanceId().orElse(null), member.clientId(),
                member.clientHost(), consumers ? assignment(member.assignment()) : List.of());
    }

    /** A consumer group's assignment is Kafka's ConsumerProtocol bytes; anything unreadable shows as none. */
    private static List<TopicPartitionDto> assignment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return List.of();
        }
        try {
            return ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(bytes)).partitions().stream()
                    .map(tp -> new TopicPartitionDto(tp.topic(), tp.partition()))
                    .toList();
        } catch (RuntimeException unreadable) {
            return List.of();
        }
    }

    private static CommittedOffsetDto offset(PartitionLag lag) {
        return new CommittedOffsetDto(lag.partition().topic(), lag.partition().partition(), lag.committed().offset(),
                lag.highWatermark().isPresent() ? lag.highWatermark().getAsLong() : null,
                lag.lag().isPresent() ? lag.lag().getAsLong() : null,
                lag.committed().metadata(), lag.committed().committedAt().toString());
    }
}
