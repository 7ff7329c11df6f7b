package dev.tributary.rest;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A whole number as a client sent it: a number (or a string) in a JSON body, or a query or path parameter. It is
 * kept as text until the field that holds it is read, with the range that field allows; then anything that is not
 * exactly a whole number in that range is refused with the field's name and the value as sent. JSON-B's own
 * {@code int} and {@code long} conversions never refuse: they cut {@code 4294967297} to 1, {@code 1.7} to 1 and
 * {@code 1e30} to some other number, which is why request DTOs hold their integers as this type.
 *
 * <p>What counts as whole: JSON has one number type, so {@code 1.0}, {@code 1e3} and {@code 20E-1} are the
 * integers 1, 1000 and 2 whatever their notation, as JSON Schema's {@code integer} counts them; {@code 1.7} and
 * {@code 1e-3} are not. A JSON string holding a number is read like a query parameter ({@code "5"} is 5), as JSON-B
 * read it before. {@code true}, objects, arrays and other text never are numbers.
 *
 * <p>Immutable.
 */
@JsonbTypeDeserializer(WholeNumber.FromJson.class)
@Schema(type = SchemaType.INTEGER)
public final class WholeNumber {

    /**
     * Text longer than this is refused without being parsed: no sane notation of a 64-bit integer needs it, and
     * parsing arbitrarily long digit strings costs time a request should not be able to demand.
     */
    private static final int MAX_PARSED_LENGTH = 100;

    private final String asSent;

    private WholeNumber(String asSent) {
        this.asSent = Objects.requireNonNull(asSent, "asSent");
    }

    /** The number in {@code text} (not yet checked: reading it does that). */
    public static WholeNumber of(String text) {
        return new WholeNumber(text);
    }

    /** A query parameter's number; null when the parameter is absent or empty, which both mean "not given". */
    public static WholeNumber ofParameter(String text) {
        return text == null || text.isEmpty() ? null : new WholeNumber(text);
    }

    /**
     * @throws InvalidRequestException naming {@code field} if this is not a whole number from {@code min} to
     *                                 {@code max}
     */
    public long toLong(String field, long min, long max) {
        BigDecimal value = parsed();
        if (value == null || !isWhole(value)
                || value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new InvalidRequestException(field + " must be a whole number from " + min + " to " + max
                    + ", was " + echo());
        }
        return value.longValueExact();
    }

    /** @throws InvalidRequestException naming {@code field} if this is not a whole number in the range */
    public int toInt(String field, int min, int max) {
        return Math.toIntExact(toLong(field, min, max));
    }

    /** @throws InvalidRequestException naming {@code field} if this is not a whole number in the range */
    public short toShort(String field, short min, short max) {
        return (short) toLong(field, min, max);
    }

    /** The value exactly as the client sent it. */
    @Override
    public String toString() {
        return asSent;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WholeNumber number && number.asSent.equals(asSent);
    }

    @Override
    public int hashCode() {
        return asSent.hashCode();
    }

    /** The exact value; null for text that is no number (or too long to be a sane one). */
    private BigDecimal parsed() {
        if (asSent.length() > MAX_PARSED_LENGTH) {
            return null;
        }
        try {
            // Exact whatever the notation; an exponent beyond int range (1e9999999999) is no number either.
            return new BigDecimal(asSent);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static boolean isWhole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** Quoted, and cut the way every echoed input is, so that a huge value does not come back whole. */
    private String echo() {
        return "'" + ProblemExceptionMapper.shortened(asSent) + "'";
    }

    /**
     * Keeps a JSON number's text exactly as sent (the parser's own conversions would round it), a string's
     * content, and for anything else (true, an object, an array) its JSON text, which will never read as a number.
     * JSON null is no value: the field is null, as if absent.
     */
    public static final class FromJson implements JsonbDeserializer<WholeNumber> {

        @Override
        public WholeNumber deserialize(JsonParser parser, DeserializationContext context, Type type) {
            try {
                return new WholeNumber(parser.getString()); // for a number, its characters as in the body
            } catch (IllegalStateException neitherNumberNorString) {
                JsonValue value = parser.getValue();
                return value.getValueType() == JsonValue.ValueType.NULL ? null : new WholeNumber(value.toString());
            }
        }
    }
}
