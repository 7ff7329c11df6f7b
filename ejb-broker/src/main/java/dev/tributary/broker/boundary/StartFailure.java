package dev.tributary.broker.boundary;

/**
 * Why the broker could not start, in one line an operator can act on: the health checks report it, the REST API
 * answers it, {@code bin/tributary start} prints it before it exits.
 *
 * <p>The line is the message of the outermost exception that says something of its own in one line: a listener's
 * "Cannot listen on 127.0.0.1:9092: ... Address already in use", a setting's "Invalid setting ...", a JDBC driver's
 * "Connection to db:5432 refused ..." beneath the persistence provider's wrapper that spans several lines. A message
 * that only repeats its cause ({@code new RuntimeException(cause)}) says nothing of its own.
 */
final class StartFailure {

    private StartFailure() {
    }

    static String describe(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
            boolean repeatsItsCause = cause.getCause() != null && message.equals(cause.getCause().toString());
            if (!message.isEmpty() && !message.contains("\n") && !repeatsItsCause) {
                return message;
            }
            deepest = cause;
        }
        String message = deepest.getMessage() == null ? "" : deepest.getMessage().strip();
        return message.isEmpty() ? deepest.getClass().getName() : message.lines().findFirst().orElseThrow().strip();
    }
}
