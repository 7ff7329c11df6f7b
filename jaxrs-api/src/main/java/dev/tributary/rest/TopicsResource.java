package dev.tributary.rest;

import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.broker.topic.TopicRegistry;
import dev.tributary.rest.dto.CreatePartitionsRequest;
import dev.tributary.rest.dto.CreateTopicRequest;
import dev.tributary.rest.dto.TopicDetails;
import dev.tributary.rest.dto.TopicList;
import dev.tributary.rest.dto.TopicSummary;
import dev.tributary.rest.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
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

/** Topics: create, list, describe, add partitions, reconfigure, delete. */
@Path("/topics")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class TopicsResource {

    @Inject
    TopicRegistry topics;

    @Context
    UriInfo uriInfo;

    @POST
    public Response create(CreateTopicRequest request) {
        if (request == null) {
            throw new InvalidRequestException("A topic needs a body: {\"name\": ..., \"partitions\": ...}");
        }
        TopicDescription created = topics.create(new NewTopic(request.name(),
                request.partitions() == null ? 1 : request.partitions(),
                request.replicationFactor() == null ? 1 : request.replicationFactor(),
                ConfigValues.fromJson(request.configs())));
        return Response.created(uriInfo.getAbsolutePathBuilder().path(created.name()).build())
                .entity(TopicDetails.of(created)).build();
    }

    @GET
    @PermitAll // producers and consumers need partition counts too
    public TopicList list() {
        return new TopicList(topics.topicNames().stream()
                .map(name -> {
                    TopicDescription topic = topics.describe(name);
                    return new TopicSummary(name, topic.partitions().size(), topic.replicationFactor());
                })
                .toList());
    }

    @GET
    @PermitAll
    @Path("/{name}")
    public TopicDetails describe(@PathParam("name") String name) {
        return TopicDetails.of(topics.describe(name));
    }

    /**
     * Grows the topic to {@code count} partitions (Kafka's CreatePartitions: the new total, never fewer than now).
     */
    @POST
    @Path("/{name}/partitions")
    public TopicDetails createPartitions(@PathParam("name") String name, CreatePartitionsRequest request) {
        if (request == null || request.count() == null) {
            throw new InvalidRequestException("Give the new partition count: {\"count\": N}");
        }
        return TopicDetails.of(topics.createPartitions(name, request.count(), false));
    }

    /** A merge patch of config overrides: a value sets one, {@code null} reverts it to the default. */
    @PATCH
    @Path("/{name}/configs")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public TopicDetails alterConfigs(@PathParam("name") String name, JsonObject changes) {
        if (changes == null) {
            throw new InvalidRequestException("Expected a JSON object of config changes");
        }
        return TopicDetails.of(topics.alterConfigs(name, ConfigValues.fromJson(changes)));
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        topics.delete(name);
        return Response.noContent().build();
    }
}
