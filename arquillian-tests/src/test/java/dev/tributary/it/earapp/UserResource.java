package dev.tributary.it.earapp;

import dev.tributary.it.jcaapp.Received;
import jakarta.ejb.EJB;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/**
 * A user's own web endpoint in an EAR assembled with Tributary's modules: unauthenticated, as the user made it
 * (the broker's REST authentication must not reach it), and what its message-driven bean received.
 */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class UserResource {

    @ApplicationPath("/api")
    public static class App extends Application {
    }

    @EJB
    private Received received;

    @GET
    @Path("hello")
    public String hello() {
        return "hello from the user's application";
    }

    @GET
    @Path("received")
    public String received() {
        return String.join("\n", received.of("user"));
    }
}
