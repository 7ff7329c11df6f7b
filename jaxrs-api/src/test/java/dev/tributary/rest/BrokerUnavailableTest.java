package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.broker.server.BrokerReadiness;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerUnavailableTest {

    @Test
    void aStartingBrokerIsA503ProblemWithRetryAfter() {
        Answer answer = new Answer();
        assertTrue(BrokerUnavailable.answered(BrokerReadiness.untilListening(), request("/api/v1/topics"),
                answer.response()));

        assertEquals(503, answer.status);
        assertEquals("application/problem+json", answer.contentType);
        assertEquals("1", answer.headers.get("Retry-After"));
        JsonObject problem = answer.json();
        assertEquals(503, problem.getInt("status"));
        assertEquals("The broker is starting; retry in a moment", problem.getString("detail"));
        assertEquals("/api/v1/topics", problem.getString("instance"));
        assertEquals("BROKER_NOT_AVAILABLE", problem.getString("errorCode"));
    }

    @Test
    void aFailedStartSaysWhyAndInvitesNoRetry() {
        BrokerReadiness readiness = BrokerReadiness.untilListening();
        readiness.failed("Data directory /srv/tributary/logs is in use by another log manager");
        Answer answer = new Answer();
        assertTrue(BrokerUnavailable.answered(readiness, request("/api/v1/topics"), answer.response()));

        assertEquals(503, answer.status);
        assertNull(answer.headers.get("Retry-After"));
        assertTrue(answer.json().getString("detail").startsWith("The broker failed to start: Data directory"
                + " /srv/tributary/logs is in use by another log manager"), answer.body::toString);
    }

    private static HttpServletRequest request(String uri) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURI" -> uri;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** What a servlet response was given. */
    private static final class Answer {
        int status;
        String contentType;
        final Map<String, String> headers = new HashMap<>();
        final StringWriter body = new StringWriter();

        HttpServletResponse response() {
            PrintWriter writer = new PrintWriter(body);
            return (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "setStatus" -> status = (Integer) args[0];
                            case "setContentType" -> contentType = (String) args[0];
                            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "setCharacterEncoding" -> { }
                            case "getWriter" -> {
                                return writer;
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }

        JsonObject json() {
            return Json.createReader(new StringReader(body.toString())).readObject();
        }
    }
}
