package dev.tributary.it.jcaapp;

import dev.tributary.jca.api.RecordMetadata;
import jakarta.ejb.EJB;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/** What the container test drives: sends (outside and inside transactions) and what the listeners received. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class AppResource {

    @ApplicationPath("/app")
    public static class App extends Application {
    }

    @EJB
    private Sender sender;

    @EJB
    private Received received;

    @POST
    @Path("send")
    public String send(@QueryParam("topic") String topic, @QueryParam("key") String key,
                       @QueryParam("value") String value) throws Exception {
        RecordMetadata metadata = sender.sendNow(topic, key, value);
        return metadata.partition() + " " + metadata.offset();
    }

    @POST
    @Path("send-server-wide")
    public String sendServerWide(@QueryParam("topic") String topic, @QueryParam("key") String key,
                                 @QueryParam("value") String value) throws Exception {
        RecordMetadata metadata = sender.sendServerWide(topic, key, value);
        return metadata.partition() + " " + metadata.offset();
    }

    @POST
    @Path("send-tx")
    public String sendInTransaction(@QueryParam("topic") String topic, @QueryParam("prefix") String prefix,
                                    @QueryParam("count") int count, @QueryParam("commit") boolean commit)
            throws Exception {
        sender.sendInTransaction(topic, prefix, count, commit);
        return "done";
    }

    @GET
    @Path("received/{listener}")
    public String received(@PathParam("listener") String listener) {
        return String.join("\n", received.of(listener));
    }
}
