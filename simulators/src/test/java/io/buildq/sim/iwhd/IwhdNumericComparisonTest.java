package io.buildq.sim.iwhd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * qparser.y compare() of iwhd 0.96 (real-install-notes.md Q12): two all-digit strings are read with
 * {@code strtoll(s, NULL, 0)} into a C int, anything else is strcmp().
 */
class IwhdNumericComparisonTest {

    static Stream<Arguments> comparisons() {
        return Stream.of(
                // The cases the notes checked against the compiled C.
                Arguments.of("\"007\" == \"7\"", true),
                Arguments.of("\"010\" == \"8\"", true),
                Arguments.of("\"08\" == \"0\"", true),
                Arguments.of("\"4294967296\" == \"0\"", true),
                Arguments.of("\"\" == \"0\"", true),
                Arguments.of("\"010\" == \"10\"", false),
                // Octal stops at the first 8 or 9: 017 is 15.
                Arguments.of("\"0178\" == \"15\"", true),
                Arguments.of("\"09\" == \"0\"", true),
                // Cut to 32 bits, and past LLONG_MAX strtoll saturates (which is -1 as an int).
                Arguments.of("\"2147483648\" < \"0\"", true),
                Arguments.of("\"4294967295\" < \"0\"", true),
                Arguments.of("\"99999999999999999999\" == \"9223372036854775807\"", true),
                Arguments.of("\"99999999999999999999\" == \"4294967295\"", true),
                // Numbers, not text: strcmp would say otherwise.
                Arguments.of("\"10\" > \"9\"", true),
                Arguments.of("\"7\" <= \"007\"", true),
                Arguments.of("\"7\" >= \"007\"", true),
                Arguments.of("\"7\" != \"007\"", false),
                Arguments.of("\"6\" < \"007\"", true),
                Arguments.of("\"8\" > \"007\"", true),
                // One side not all digits: strcmp on unsigned bytes.
                Arguments.of("\"10\" > \"9a\"", false),
                Arguments.of("\"7\" == \" 7\"", false),
                Arguments.of("\"\u0663\" == \"3\"", false), // isdigit() is ASCII only
                Arguments.of("\"\uD83D\uDE00\" > \"\uFF61\"", true), // UTF-8 F0.. after EF..; UTF-16 would say less
                // Digit runs in the expression are base 10 (make_number), then an int.
                Arguments.of("010 == 10", true),
                Arguments.of("010 == \"012\"", true),
                Arguments.of("4294967303 == \"7\"", true),
                Arguments.of("4294967296", true), // as a truth value it is the long long, not the int
                // A missing attribute is "" and so 0.
                Arguments.of("$missing == 0", true),
                Arguments.of("$missing == \"00\"", true),
                // A number against a non-numeric string is an error, which ! does not turn into true.
                Arguments.of("7 == \"abc\"", false),
                Arguments.of("!7 == \"abc\"", false),
                Arguments.of("(7 == \"abc\") || 1", true));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("comparisons")
    void comparesAsQparserYsCompareDoes(String expression, boolean expected) throws IwhdQuery.SyntaxError {
        assertThat(IwhdQuery.parse(expression).matches(Map.of())).isEqualTo(expected);
    }

    @Test
    void anAttributeComparesByItsStrtollValue() throws IwhdQuery.SyntaxError {
        IwhdQuery query = IwhdQuery.parse("$n == \"8\"");

        assertThat(query.matches(Map.of("n", "010"))).isTrue();
        assertThat(query.matches(Map.of("n", "8"))).isTrue();
        assertThat(query.matches(Map.of("n", "08"))).isFalse();
        assertThat(query.matches(Map.of("n", "4294967304"))).isTrue();
    }

    @Test
    void strtollBase0ReadsOctalAndSaturates() {
        assertThat(IwhdQuery.strtollBase0("")).isZero();
        assertThat(IwhdQuery.strtollBase0("0")).isZero();
        assertThat(IwhdQuery.strtollBase0("0777")).isEqualTo(511);
        assertThat(IwhdQuery.strtollBase0("0779")).isEqualTo(63);
        assertThat(IwhdQuery.strtollBase0("9223372036854775808")).isEqualTo(Long.MAX_VALUE);
        assertThat(IwhdQuery.strtollBase0("01777777777777777777777")).isEqualTo(Long.MAX_VALUE);
        assertThat(IwhdQuery.strtollBase0("0777777777777777777777")).isEqualTo(Long.MAX_VALUE);
    }
}
