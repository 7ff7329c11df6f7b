package dev.tributary.broker.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StartFailureTest {

    @Test
    void keepsTheOutermostMessageOfItsOwn() {
        BindException bind = new BindException("Address already in use");
        UncheckedIOException listener = new UncheckedIOException(
                "Cannot listen on 127.0.0.1:9092: java.net.BindException: Address already in use", bind);
        assertEquals("Cannot listen on 127.0.0.1:9092: java.net.BindException: Address already in use",
                StartFailure.describe(new IllegalStateException(listener)));
    }

    @Test
    void skipsWrappersThatSpanLines() {
        SQLException refused = new SQLException("Connection to db.example:5432 refused. Check that the hostname and"
                + " port are correct and that the postmaster is accepting TCP/IP connections.",
                new java.net.ConnectException("Connection refused"));
        RuntimeException persistence = new RuntimeException("\nException [EclipseLink-4002]: DatabaseException\n"
                + "Internal Exception: org.postgresql.util.PSQLException: Connection to db.example:5432 refused.\n"
                + "Error Code: 0", refused);
        assertEquals(refused.getMessage(), StartFailure.describe(persistence));
    }

    @Test
    void keepsAMessageThatExplainsItsCause() {
        NumberFormatException number = new NumberFormatException("For input string: \"lots\"");
        IllegalArgumentException converter = new IllegalArgumentException(number);
        assertEquals("Invalid setting tributary.kafka.max.connections=lots: not an Integer", StartFailure.describe(
                new IllegalArgumentException("Invalid setting tributary.kafka.max.connections=lots: not an Integer",
                        converter)));
        assertEquals("For input string: \"lots\"", StartFailure.describe(converter));
    }

    @Test
    void namesTheExceptionWhenNothingHasAMessage() {
        assertEquals("java.lang.NullPointerException",
                StartFailure.describe(new IllegalStateException(new NullPointerException())));
    }

    @Test
    void givesTheFirstLineWhenEveryMessageSpansLines() {
        assertEquals("first line", StartFailure.describe(new IllegalStateException("  first line  \nsecond line")));
    }
}
