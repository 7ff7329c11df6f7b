package dev.tributary.rest;

/** Parses query parameters with errors that name the parameter. */
final class QueryValues {

    private QueryValues() {
    }

    /** @return the value, or null when the parameter is absent */
    static Long nonNegativeLong(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number, was '" + value + "'");
        }
        if (parsed < 0) {
            throw new InvalidRequestException(name + " must not be negative, was " + parsed);
        }
        return parsed;
    }
}
