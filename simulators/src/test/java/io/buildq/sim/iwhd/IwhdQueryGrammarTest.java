package io.buildq.sim.iwhd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * iwhd's query language, expression by expression, over HTTP (iwhd-api.md section 3, checked
 * against qparser.y): equal precedence of && and ||, ! on one comparison, digit strings as C ints,
 * missing attributes as "", errors (bare identifiers, dates, a number against a non-numeric string)
 * that stay errors through ! and sub-expressions, and a syntax error returning every object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IwhdQueryGrammarTest {

    private static final List<String> ALL = List.of("one", "two", "three", "four");
    private static final List<String> NONE = List.of();
    private static final Pattern KEY = Pattern.compile("<key>([^<]*)</key>");

    private final OkHttpClient http = new OkHttpClient();
    private IwhdSimulator iwhd;
    private IwhdSimulator strict;

    @BeforeAll
    void start() throws IOException {
        iwhd = IwhdSimulator.builder().start();
        strict = IwhdSimulator.builder().strictQueries(true).start();
        for (IwhdSimulator simulator : List.of(iwhd, strict)) {
            call(simulator, "PUT", "/t", "").close();
            call(simulator, "POST", "/t", "_key=one&target=ec2&build=b1&n=007&arch=x86_64").close();
            call(simulator, "POST", "/t", "_key=two&target=rhevm&build=b1&n=8").close();
            call(simulator, "POST", "/t", "_key=three&target=ec2&build=b2&n=10&arch=i386").close();
            call(simulator, "POST", "/t", "_key=four&target=vsphere&build=b2&n=abc").close();
        }
    }

    @AfterAll
    void stop() {
        iwhd.close();
        strict.close();
    }

    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("$target == \"ec2\"", List.of("one", "three")),
                Arguments.of("$target != \"ec2\"", List.of("two", "four")),
                Arguments.of("$build == \"b1\" && $target == \"rhevm\"", List.of("two")),
                Arguments.of("($build == \"b1\") && ($target == \"rhevm\")", List.of("two")),
                Arguments.of("$target == \"ec2\" || $target == \"rhevm\"", List.of("one", "two", "three")),
                // Equal precedence, left to right: (ec2 || rhevm) && b2.
                Arguments.of("$target == \"ec2\" || $target == \"rhevm\" && $build == \"b2\"", List.of("three")),
                Arguments.of("$target == \"ec2\" || ($target == \"rhevm\" && $build == \"b2\")", List.of("one", "three")),
                Arguments.of("$build == \"b2\" && $target == \"ec2\" || $target == \"rhevm\"", List.of("two", "three")),
                // Digit strings compare as integers.
                Arguments.of("$n == \"7\"", List.of("one")),
                Arguments.of("$n == 7", List.of("one")),
                Arguments.of("$n == \"007\"", List.of("one")),
                Arguments.of("$n == \"10\"", List.of("three")),
                // A number literal against a non-numeric string is an error (qparser.y compare()), so "abc" never matches.
                Arguments.of("$n > 8", List.of("three")),
                Arguments.of("$n < 9", List.of("one", "two")),
                Arguments.of("$n >= 8", List.of("two", "three")),
                Arguments.of("$n <= 7", List.of("one")),
                Arguments.of("$n != \"abc\"", List.of("one", "two", "three")),
                Arguments.of("$n == 8 || $n == 10", List.of("two", "three")),
                Arguments.of("$n == 4294967303", List.of("one")),
                Arguments.of("$n == \"4294967303\"", List.of("one")),
                // A literal is read in base 10 (make_number), an attribute or string in base 0: "010" is 8.
                Arguments.of("$n == 010", List.of("three")),
                Arguments.of("$n == \"010\"", List.of("two")),
                Arguments.of("$missing == \"08\"", ALL),
                // Strings compare as C strings.
                Arguments.of("$target > \"ec2\"", List.of("two", "four")),
                Arguments.of("\"b1\" == $build", List.of("one", "two")),
                // A missing attribute reads as "".
                Arguments.of("$missing == \"\"", ALL),
                Arguments.of("$missing", NONE),
                Arguments.of("$target", ALL),
                Arguments.of("$arch", List.of("one", "three")),
                Arguments.of("$arch == \"x86_64\"", List.of("one")),
                Arguments.of("$target == \"ec2\" && $arch == \"i386\"", List.of("three")),
                // ! negates one comparison.
                Arguments.of("!$arch", List.of("two", "four")),
                Arguments.of("!$target == \"ec2\"", List.of("two", "four")),
                Arguments.of("!($target == \"ec2\")", List.of("two", "four")),
                Arguments.of("!$n == \"8\"", List.of("one", "three", "four")),
                // A parenthesised expression counts as 0 or 1.
                Arguments.of("($n == 8) == 1", List.of("two")),
                Arguments.of("($n == 8) == 0", List.of("one", "three")),
                // An error stays an error through ! (eval T_NOT) but || tries its right side.
                Arguments.of("!($n > 8)", List.of("one", "two")),
                Arguments.of("$n > 8 || $target == \"vsphere\"", List.of("three", "four")),
                // Parentheses around an atom change nothing (paren_expr is $2): a field stays a string.
                Arguments.of("($target) == \"ec2\"", List.of("one", "three")),
                Arguments.of("$ target == \"ec2\"", List.of("one", "three")),
                // Reserved fields can be read.
                Arguments.of("$_key == \"three\"", List.of("three")),
                Arguments.of("$_bucket == \"t\"", ALL),
                // Literals as truth values.
                Arguments.of("1", ALL),
                Arguments.of("0", NONE),
                Arguments.of("\"x\"", ALL),
                Arguments.of("\"\"", NONE),
                Arguments.of("$target == \"ec2\" && 1", List.of("one", "three")),
                // Bare identifiers, dates and site attributes are errors, which are false.
                Arguments.of("ident", NONE),
                Arguments.of("$target == ident", NONE),
                Arguments.of("~2011-01-01~", NONE),
                Arguments.of("#x == \"1\"", NONE),
                // No match at all.
                Arguments.of("$target == \"gce\"", NONE),
                Arguments.of("$target == \"ec2\" && $build == \"b9\"", NONE),
                // Whitespace is space, tab, CR and LF.
                Arguments.of("$target\t==\r\n\"ec2\"", List.of("one", "three")));
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("$target = \"ec2\""),
                Arguments.of("$Target == \"ec2\""),
                Arguments.of("$target == 'ec2'"),
                Arguments.of("$target2 == \"ec2\""),
                Arguments.of("($target == \"ec2\""),
                Arguments.of("$target == \"ec2"),
                Arguments.of("$target.== \"ec2\""),
                Arguments.of(""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void eachExpressionMatchesWhatIwhdMatched(String expression, List<String> expected) throws IOException {
        try (Response response = call(iwhd, "POST", "/t/_query", expression)) {
            if (expected.isEmpty()) {
                assertThat(response.code()).isEqualTo(404);
                assertThat(response.body().string()).isEmpty();
            } else {
                assertThat(response.code()).isEqualTo(200);
                assertThat(keys(response.body().string())).containsExactlyElementsOf(expected);
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("syntaxErrors")
    void aSyntaxErrorReturnsEveryObjectOrA400WhenStrict(String expression) throws IOException {
        try (Response response = call(iwhd, "POST", "/t/_query", expression)) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(keys(response.body().string())).containsExactlyElementsOf(ALL);
        }
        try (Response response = call(strict, "POST", "/t/_query", expression)) {
            assertThat(response.code()).isEqualTo(400);
        }
    }

    private static List<String> keys(String listing) {
        List<String> keys = new ArrayList<>();
        Matcher matcher = KEY.matcher(listing);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    private Response call(IwhdSimulator simulator, String method, String path, String body) throws IOException {
        return http.newCall(new Request.Builder().url(simulator.baseUrl() + path)
                .method(method, RequestBody.create(body, MediaType.get("application/x-www-form-urlencoded"))).build())
                .execute();
    }
}
