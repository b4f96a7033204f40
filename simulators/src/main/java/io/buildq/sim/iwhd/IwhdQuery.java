package io.buildq.sim.iwhd;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * iwhd's query language as iwhd 0.96 parses and evaluates it ({@code qlexer.l}, {@code qparser.y}),
 * quirks kept: {@code &&} and {@code ||} have equal precedence and associate left, {@code !} negates
 * one comparison, all-digit strings compare as C {@code int}s read by {@code strtoll(s, NULL, 0)}
 * (so octal), a missing attribute reads as "", strings have no escapes, and an error (a bare
 * identifier, a date, a number compared with a non-numeric string) makes the whole term false.
 */
final class IwhdQuery {

    /** The expression does not parse; real iwhd then stops filtering and returns every object. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    /** qparser.y eval(): 1 true, 0 false, -1 error; RepoQuery::Next (meta.cpp) keeps a document only on > 0. */
    private static final int ERROR = -1;

    private sealed interface Node permits Field, Literal, Number, Compare, Not, Logic, Invalid {
    }

    /** {@code $name}: T_OFIELD. */
    private record Field(String name) implements Node {
    }

    /** {@code "text"}: T_STRING. */
    private record Literal(String text) implements Node {
    }

    /** A digit run in the expression: T_NUMBER, read by make_number() with {@code strtoll(text, NULL, 10)}. */
    private record Number(long value) implements Node {
    }

    /**
     * What 0.96 evaluates to an error: bare identifiers (T_ID) and ~date~ literals (T_DATE) have no
     * case in eval() or string_value(); {@code #site} fields (T_SFIELD) would call a null getter in a
     * query, and {@code $a.b} links (T_LINK) take a lock the query already holds.
     */
    private record Invalid() implements Node {
    }

    private record Compare(Node left, String op, Node right) implements Node {
    }

    private record Not(Node inner) implements Node {
    }

    private record Logic(Node left, String op, Node right) implements Node {
    }

    private final Node root;

    private IwhdQuery(Node root) {
        this.root = root;
    }

    static IwhdQuery parse(String expression) throws SyntaxError {
        Parser parser = new Parser(tokenize(expression));
        Node node = parser.expr();
        if (parser.position != parser.tokens.size()) {
            throw new SyntaxError("unexpected '" + parser.tokens.get(parser.position) + "'");
        }
        return new IwhdQuery(node);
    }

    /** Whether a document (its string fields; a missing one reads as "") is selected. */
    boolean matches(Map<String, String> document) {
        return eval(root, document) > 0;
    }

    // ---------------------------------------------------------------- evaluation (qparser.y)

    /** qparser.y eval(). */
    private static int eval(Node node, Map<String, String> document) {
        if (node instanceof Number number) {
            return number.value() != 0 ? 1 : 0;
        } else if (node instanceof Literal literal) {
            return literal.text().isEmpty() ? 0 : 1;
        } else if (node instanceof Field field) {
            return field(field, document).isEmpty() ? 0 : 1;
        } else if (node instanceof Invalid) {
            return ERROR;
        } else if (node instanceof Compare compare) {
            return compare(compare, document);
        } else if (node instanceof Not not) {
            int result = eval(not.inner(), document);
            return result >= 0 ? (result == 0 ? 1 : 0) : result; // an error stays an error
        }
        Logic logic = (Logic) node;
        int result = eval(logic.left(), document);
        if (logic.op().equals("&&")) {
            return result > 0 ? eval(logic.right(), document) : result;
        }
        return result > 0 ? result : eval(logic.right(), document);
    }

    /**
     * qparser.y compare(). A side is a number if it is a T_NUMBER, or a string for which
     * is_ok_number() holds (ASCII digits only, the empty string included) read with
     * {@code strtoll(s, NULL, 0)}, or a sub-expression evaluated to 0/1 (an error ends the
     * comparison as an error). All of these land in a C {@code int}. If either side is a
     * non-numeric string, both must be strings and are compared with strcmp(); otherwise error.
     */
    private static int compare(Compare compare, Map<String, String> document) {
        String leftText = stringValue(compare.left(), document);
        String rightText = stringValue(compare.right(), document);
        int left = 0;
        int right = 0;
        boolean numeric = true;
        if (compare.left() instanceof Number number) {
            left = (int) number.value();
        } else if (leftText != null) {
            if (isOkNumber(leftText)) {
                left = (int) strtollBase0(leftText);
            } else {
                numeric = false;
            }
        } else {
            left = eval(compare.left(), document);
            if (left < 0) {
                return left;
            }
        }
        if (compare.right() instanceof Number number) {
            right = (int) number.value();
        } else if (rightText != null) {
            if (isOkNumber(rightText)) {
                right = (int) strtollBase0(rightText);
            } else {
                numeric = false;
            }
        } else {
            right = eval(compare.right(), document);
            if (right < 0) {
                return right;
            }
        }
        if (!numeric) {
            if (leftText == null || rightText == null) {
                return ERROR;
            }
            left = strcmp(leftText, rightText);
            right = 0;
        }
        boolean result = switch (compare.op()) {
            case "<" -> left < right;
            case "<=" -> left <= right;
            case "==" -> left == right;
            case "!=" -> left != right;
            case ">=" -> left >= right;
            case ">" -> left > right;
            default -> throw new IllegalStateException(compare.op());
        };
        return result ? 1 : 0;
    }

    /** qparser.y string_value(): strings and fields have one; numbers and sub-expressions do not. */
    private static String stringValue(Node node, Map<String, String> document) {
        if (node instanceof Literal literal) {
            return literal.text();
        } else if (node instanceof Field field) {
            return field(field, document);
        }
        return null;
    }

    /** meta.cpp query_getter(): BSONObj::getStringField, "" for a missing or non-string field. */
    private static String field(Field field, Map<String, String> document) {
        return document.getOrDefault(field.name(), "");
    }

    /** qparser.y is_ok_number(): every char passes C isdigit(), i.e. ASCII 0-9; "" passes. */
    static boolean isOkNumber(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * C {@code strtoll(text, NULL, 0)} for an all-digit string: a leading 0 means octal and parsing
     * stops at the first 8 or 9; "" is 0; a value past LLONG_MAX saturates to LLONG_MAX (ERANGE).
     * ("0x" cannot occur: the text is all digits.)
     */
    static long strtollBase0(String digits) {
        int radix = digits.startsWith("0") ? 8 : 10;
        int end = 0;
        while (end < digits.length() && Character.digit(digits.charAt(end), radix) >= 0) {
            end++;
        }
        return saturated(digits.substring(0, end), radix);
    }

    /** make_number()'s {@code strtoll(text, NULL, 10)} for a digit run in the expression. */
    static long strtollBase10(String digits) {
        return saturated(digits, 10);
    }

    private static long saturated(String digits, int radix) {
        if (digits.isEmpty()) {
            return 0;
        }
        BigInteger value = new BigInteger(digits, radix);
        return value.bitLength() > 63 ? Long.MAX_VALUE : value.longValue();
    }

    /** C strcmp(): unsigned bytes (UTF-8 here, as iwhd stored them); only the sign matters to compare(). */
    static int strcmp(String left, String right) {
        return Integer.signum(Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8),
                right.getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- parsing (qlexer.l, qparser.y)

    /** qlexer.l: "..." strings, ~...~ dates, [0-9]+, [a-z_]+, single $ # ( ) . and the operators. */
    private static List<String> tokenize(String text) throws SyntaxError {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '"' || c == '~') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) {
                    throw new SyntaxError("unterminated " + c);
                }
                tokens.add(text.substring(i, end + 1));
                i = end + 1;
            } else if (c >= '0' && c <= '9') {
                int start = i;
                while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else if ((c >= 'a' && c <= 'z') || c == '_') {
                int start = i;
                while (i < text.length() && ((text.charAt(i) >= 'a' && text.charAt(i) <= 'z') || text.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else if (text.startsWith("&&", i) || text.startsWith("||", i) || text.startsWith("==", i)
                    || text.startsWith("!=", i) || text.startsWith("<=", i) || text.startsWith(">=", i)) {
                tokens.add(text.substring(i, i + 2));
                i += 2;
            } else if (c == '<' || c == '>' || c == '!' || c == '(' || c == ')' || c == '.' || c == '$' || c == '#') {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                throw new SyntaxError("unexpected character '" + c + "'");
            }
        }
        return tokens;
    }

    private static boolean isIdentifier(String token) {
        char c = token.charAt(0);
        return (c >= 'a' && c <= 'z') || c == '_';
    }

    private static final class Parser {
        final List<String> tokens;
        int position;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        /** bbool_expr: ubool_expr (("&&" | "||") ubool_expr)*, left-associative, one precedence. */
        Node expr() throws SyntaxError {
            Node left = term();
            while (peek("&&") || peek("||")) {
                String op = next();
                left = new Logic(left, op, term());
            }
            return left;
        }

        /** ubool_expr: comp_expr | "!" comp_expr. */
        Node term() throws SyntaxError {
            if (peek("!")) {
                next();
                return new Not(comparison());
            }
            return comparison();
        }

        /** comp_expr: atom [op atom]. */
        Node comparison() throws SyntaxError {
            Node left = atom();
            for (String op : List.of("<=", ">=", "==", "!=", "<", ">")) {
                if (peek(op)) {
                    next();
                    return new Compare(left, op, atom());
                }
            }
            return left;
        }

        /** atom: link_field | literal | "(" bbool_expr ")"; a paren_expr is its inner expression ($$ = $2). */
        Node atom() throws SyntaxError {
            String token = next();
            if (token.equals("(")) {
                Node inner = expr();
                expect(")");
                return inner;
            }
            if (token.equals("$") || token.equals("#")) {
                String name = next();
                if (!isIdentifier(name)) {
                    throw new SyntaxError("expected a name after " + token + ", not '" + name + "'");
                }
                Node field = token.equals("$") ? new Field(name) : new Invalid();
                while (peek(".")) {
                    next();
                    if (!isIdentifier(next())) {
                        throw new SyntaxError("expected a name after '.'");
                    }
                    field = new Invalid();
                }
                return field;
            }
            if (token.startsWith("\"")) {
                return new Literal(token.substring(1, token.length() - 1));
            }
            if (token.startsWith("~")) {
                return new Invalid();
            }
            if (token.charAt(0) >= '0' && token.charAt(0) <= '9') {
                return new Number(strtollBase10(token));
            }
            if (isIdentifier(token)) {
                return new Invalid();
            }
            throw new SyntaxError("unexpected '" + token + "'");
        }

        void expect(String token) throws SyntaxError {
            if (!peek(token)) {
                throw new SyntaxError("missing " + token);
            }
            next();
        }

        boolean peek(String token) {
            return position < tokens.size() && tokens.get(position).equals(token);
        }

        String next() throws SyntaxError {
            if (position >= tokens.size()) {
                throw new SyntaxError("unexpected end of expression");
            }
            return tokens.get(position++);
        }
    }
}
