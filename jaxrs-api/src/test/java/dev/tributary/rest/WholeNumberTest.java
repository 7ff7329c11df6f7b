package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WholeNumberTest {

    @Test
    void aWholeNumberInRangeReadsExactlyWhateverItsNotation() {
        assertEquals(4294967296L, WholeNumber.of("4294967296").toLong("f", 0, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, WholeNumber.of("9223372036854775807").toLong("f", 0, Long.MAX_VALUE));
        assertEquals(Long.MIN_VALUE, WholeNumber.of("-9223372036854775808").toLong("f", Long.MIN_VALUE, 0));
        assertEquals(1, WholeNumber.of("1.0").toInt("f", 0, 9), "JSON has one number type: 1.0 is the integer 1");
        assertEquals(1000, WholeNumber.of("1e3").toInt("f", 0, 10_000));
        assertEquals(2, WholeNumber.of("20E-1").toInt("f", 0, 9));
        assertEquals(0, WholeNumber.of("-0.0").toInt("f", 0, 9));
        assertEquals((short) 3, WholeNumber.of("3").toShort("f", (short) 1, Short.MAX_VALUE));
    }

    @Test
    void whatTheFieldCannotHoldExactlyIsRefusedNamingItAndEchoingTheValueAsSent() {
        assertRefused("records[0].partition must be a whole number from 0 to 2147483647, was '4294967297'",
                () -> WholeNumber.of("4294967297").toInt("records[0].partition", 0, Integer.MAX_VALUE));
        assertRefused("records[0].partition must be a whole number from 0 to 2147483647, was '1.7'",
                () -> WholeNumber.of("1.7").toInt("records[0].partition", 0, Integer.MAX_VALUE));
        assertRefused("timestamp must be a whole number from 0 to 9223372036854775807, was '99999999999999999999'",
                () -> WholeNumber.of("99999999999999999999").toLong("timestamp", 0, Long.MAX_VALUE));
        assertRefused("timestamp must be a whole number from 0 to 9223372036854775807, was '1e30'",
                () -> WholeNumber.of("1e30").toLong("timestamp", 0, Long.MAX_VALUE));
        assertRefused("timestamp must be a whole number from 0 to 9223372036854775807, was '1.9'",
                () -> WholeNumber.of("1.9").toLong("timestamp", 0, Long.MAX_VALUE));
        assertRefused("limit must be a whole number from 1 to 10000, was '999999999999'",
                () -> WholeNumber.of("999999999999").toInt("limit", 1, 10_000));
        assertRefused("replicationFactor must be a whole number from 1 to 32767, was '32768'",
                () -> WholeNumber.of("32768").toShort("replicationFactor", (short) 1, Short.MAX_VALUE));
        assertRefused("offset must be a whole number from 0 to 9223372036854775807, was '-1'",
                () -> WholeNumber.of("-1").toLong("offset", 0, Long.MAX_VALUE));
    }

    @Test
    void textThatIsNoNumberIsRefused() {
        for (String text : new String[] {"abc", "", " 5", "0x10", "1_000", "NaN", "Infinity", "true", "{\"a\":1}",
                "1e99999999999", "1e-99999999999"}) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> WholeNumber.of(text).toLong("f", Long.MIN_VALUE, Long.MAX_VALUE), text);
            assertTrue(refused.getMessage().endsWith("was '" + text + "'"), refused.getMessage());
        }
    }

    @Test
    void aHugeValueIsRefusedQuicklyAndEchoedCut() {
        String digits = "9".repeat(200_000);
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> WholeNumber.of(digits).toInt("count", 1, 10));
        assertTrue(refused.getMessage().startsWith("count must be a whole number from 1 to 10, was '999"),
                refused.getMessage());
        assertTrue(refused.getMessage().endsWith("... (200000 characters)'"), refused.getMessage());
        assertTrue(refused.getMessage().length() < 1200, "the echo is cut");
        // An exponent far beyond long range is compared, never expanded to its digits.
        assertThrows(InvalidRequestException.class, () -> WholeNumber.of("1e999999999").toLong("f", 0, 1));
        assertThrows(InvalidRequestException.class, () -> WholeNumber.of("1e-999999999").toLong("f", 0, 1));
    }

    @Test
    void anAbsentOrEmptyQueryParameterIsNotGiven() {
        assertNull(WholeNumber.ofParameter(null));
        assertNull(WholeNumber.ofParameter(""));
        assertEquals(WholeNumber.of("7"), WholeNumber.ofParameter("7"));
        assertEquals("1e3", WholeNumber.of("1e3").toString(), "kept as sent");
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable read) {
        assertEquals(message, assertThrows(InvalidRequestException.class, read).getMessage());
    }
}
