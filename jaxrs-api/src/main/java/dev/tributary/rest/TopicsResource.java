package dev.tributary.rest;

import dev.tributary.broker.replication.TruncateToLastGood;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.broker.topic.TopicMetadata;
import dev.tributary.rest.dto.CreatePartitionsRequest;
import dev.tributary.rest.dto.CreateTopicRequest;
import dev.tributary.rest.dto.LastGoodTruncationDto;
import dev.tributary.rest.dto.Problem;
import dev.tributary.rest.dto.TopicDetails;
import dev.tributary.rest.dto.TopicList;
import dev.tributary.rest.dto.TopicSummary;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Topics: create, list, describe, add partitions, reconfigure, delete, and truncate a corrupt replica. */
@Path("/topics")
@Tag(name = "Topics")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class TopicsResource {

    @Inject
    TopicMetadata topics;

    @Inject
    TopicAdministration administration;

    @Inject
    TruncateToLastGood truncation;

    @Context
    UriInfo uriInfo;

    @Operation(summary = "Create a topic")
    @APIResponse(responseCode = "201", description = "Created; Location names the topic",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopicDetails.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, invalid name, partitions or configs",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The topic exists",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @POST
    public Response create(CreateTopicRequest request) {
        TopicDescription created = administration.create(newTopic(request));
        return Response.created(uriInfo.getAbsolutePathBuilder().path(created.name()).build())
                .entity(TopicDetails.of(created)).build();
    }

    /** What a create request asks for: its numbers read exactly; {@link NewTopic} checks the rest. */
    static NewTopic newTopic(CreateTopicRequest request) {
        if (request == null) {
            throw new InvalidRequestException("A topic needs a body: {\"name\": ..., \"partitions\": ...}");
        }
        return new NewTopic(request.name(),
                request.partitions() == null ? 1
                        : request.partitions().toInt("partitions", 1, NewTopic.MAX_PARTITIONS),
                request.replicationFactor() == null ? 1
                        : request.replicationFactor().toShort("replicationFactor", (short) 1, Short.MAX_VALUE),
                ConfigValues.fromJson(request.configs()));
    }

    @Operation(summary = "List topics")
    @APIResponse(responseCode = "200", description = "All topics",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopicList.class)))
    @GET
    @PermitAll // producers and consumers need partition counts too
    public TopicList list() {
        return new TopicList(topics.topicNames().stream().map(topics::describe).map(TopicSummary::of).toList());
    }

    @Operation(summary = "Describe a topic: id, configs, partitions with offsets")
    @APIResponse(responseCode = "200", description = "The topic",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopicDetails.class)))
    @APIResponse(responseCode = "404", description = "No such topic",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @GET
    @PermitAll
    @Path("/{name}")
    public TopicDetails describe(@PathParam("name") String name) {
        return TopicDetails.of(topics.describe(name));
    }

    /**
     * Grows the topic to {@code count} partitions (Kafka's CreatePartitions: the new total, never fewer than now).
     */
    @Operation(summary = "Grow a topic to a number of partitions")
    @APIResponse(responseCode = "200", description = "The topic with its partitions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopicDetails.class)))
    @APIResponse(responseCode = "400", description = "Missing count, or fewer partitions than now",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such topic",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/{name}/partitions")
    public TopicDetails createPartitions(@PathParam("name") String name, CreatePartitionsRequest request) {
        return TopicDetails.of(administration.createPartitions(name, newPartitionCount(request), false));
    }

    static int newPartitionCount(CreatePartitionsRequest request) {
        if (request == null || request.count() == null) {
            throw new InvalidRequestException("Give the new partition count: {\"count\": N}");
        }
        return request.count().toInt("count", 1, NewTopic.MAX_PARTITIONS);
    }

    /** A merge patch of config overrides: a value sets one, {@code null} reverts it to the default. */
    @Operation(summary = "Change config overrides (merge patch; null restores the default)")
    @APIResponse(responseCode = "200", description = "The topic with its configs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopicDetails.class)))
    @APIResponse(responseCode = "400", description = "Unknown config or invalid value",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such topic",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @PATCH
    @Path("/{name}/configs")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public TopicDetails alterConfigs(@PathParam("name") String name, JsonValue changes) {
        // Taken as any JSON value: Jersey fails an array bound to a JsonObject parameter outside the mappers.
        if (!(changes instanceof JsonObject object)) {
            throw new InvalidRequestException("Expected a JSON object of config changes");
        }
        return TopicDetails.of(administration.alterConfigs(name, ConfigValues.fromJson(object)));
    }

    /**
     * The operator's way out for a partition whose replica on this broker holds a corrupt batch and cannot be
     * repaired from another replica (it is alone, or the only one in sync): cuts the replica back to the last good
     * batch below the damage and puts it back in service. The records from there on are gone, and their offsets
     * will be given to new records.
     */
    @Operation(summary = "Truncate a corrupt partition replica to its last good batch, dropping the records after it")
    @APIResponse(responseCode = "200", description = "Truncated; how many records that dropped",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LastGoodTruncationDto.class)))
    @APIResponse(responseCode = "400", description = "Malformed partition",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such topic or partition",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The replica on this broker holds no known corrupt data",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "This broker holds no replica of the partition",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/{name}/partitions/{partition}/truncate-to-last-good")
    @Consumes(MediaType.WILDCARD) // takes no body, so any content type (or none) will do
    public LastGoodTruncationDto truncateToLastGood(@PathParam("name") String name,
                                                    @PathParam("partition")
                                                    @Parameter(schema = @Schema(type = SchemaType.INTEGER))
                                                    String partitionParam) {
        int partition = WholeNumber.of(partitionParam).toInt("partition", 0, Integer.MAX_VALUE);
        return truncation.truncate(name, partition).map(LastGoodTruncationDto::of)
                .orElseThrow(() -> new ClientErrorException("The replica of " + name + "-" + partition
                        + " on this broker holds no known corrupt data: there is nothing to truncate",
                        Response.Status.CONFLICT));
    }

    @Operation(summary = "Delete a topic and its data")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such topic",
            content = @Content(mediaType = ProblemExceptionMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        administration.delete(name);
        return Response.noContent().build();
    }
}
