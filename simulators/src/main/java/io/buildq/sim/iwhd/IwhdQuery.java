package io.buildq.sim.iwhd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * iwhd's query language (qlexer.l / qparser.y of 0.96) with its quirks kept: {@code &&} and
 * {@code ||} have equal precedence and associate left, {@code !} negates one comparison, digit
 * strings compare as 32-bit integers, a missing attribute reads as "", and strings have no escapes.
 */
final class IwhdQuery {

    /** The expression does not parse; real iwhd then stops filtering and returns every object. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private sealed interface Node permits Field, Literal, Number, Compare, Not, Logic, Group, Invalid {
    }

    private record Field(String name) implements Node {
    }

    private record Literal(String text) implements Node {
    }

    private record Number(long value) implements Node {
    }

    /** Bare identifiers and ~date~ literals parse but evaluate to an error, which is false. */
    private record Invalid() implements Node {
    }

    private record Group(Node inner) implements Node {
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

    boolean matches(Map<String, String> attributes) {
        return truth(evaluate(root, attributes));
    }

    // ---------------------------------------------------------------- evaluation

    /** A value is a String, a Long, or null for an error. */
    private static Object evaluate(Node node, Map<String, String> attributes) {
        if (node instanceof Field field) {
            return attributes.getOrDefault(field.name(), "");
        } else if (node instanceof Literal literal) {
            return literal.text();
        } else if (node instanceof Number number) {
            return number.value();
        } else if (node instanceof Invalid) {
            return null;
        } else if (node instanceof Group group) {
            return truth(evaluate(group.inner(), attributes)) ? 1L : 0L;
        } else if (node instanceof Not not) {
            return truth(evaluate(not.inner(), attributes)) ? 0L : 1L;
        } else if (node instanceof Logic logic) {
            boolean left = truth(evaluate(logic.left(), attributes));
            boolean right = truth(evaluate(logic.right(), attributes));
            return (logic.op().equals("&&") ? left && right : left || right) ? 1L : 0L;
        }
        Compare compare = (Compare) node;
        Object left = evaluate(compare.left(), attributes);
        Object right = evaluate(compare.right(), attributes);
        if (left == null || right == null) {
            return null;
        }
        int order;
        Long leftNumber = asNumber(left);
        Long rightNumber = asNumber(right);
        if (leftNumber != null && rightNumber != null) {
            order = Integer.compare((int) (long) leftNumber, (int) (long) rightNumber);
        } else {
            order = Integer.signum(String.valueOf(left).compareTo(String.valueOf(right)));
        }
        boolean result = switch (compare.op()) {
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case "==" -> order == 0;
            case "!=" -> order != 0;
            case ">=" -> order >= 0;
            default -> order > 0;
        };
        return result ? 1L : 0L;
    }

    private static Long asNumber(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        String text = (String) value;
        if (!text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        if (text.isEmpty()) {
            return 0L;
        }
        try {
            return Long.parseLong(text.length() > 18 ? text.substring(text.length() - 18) : text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean truth(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Long number) {
            return number != 0;
        }
        return !((String) value).isEmpty();
    }

    // ---------------------------------------------------------------- parsing

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
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else if (c == '$' || c == '#' || (c >= 'a' && c <= 'z') || c == '_') {
                int start = i;
                i++;
                while (i < text.length() && ((text.charAt(i) >= 'a' && text.charAt(i) <= 'z') || text.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else if (text.startsWith("&&", i) || text.startsWith("||", i) || text.startsWith("==", i)
                    || text.startsWith("!=", i) || text.startsWith("<=", i) || text.startsWith(">=", i)) {
                tokens.add(text.substring(i, i + 2));
                i += 2;
            } else if (c == '<' || c == '>' || c == '!' || c == '(' || c == ')' || c == '.') {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                throw new SyntaxError("unexpected character '" + c + "'");
            }
        }
        return tokens;
    }

    private static final class Parser {
        final List<String> tokens;
        int position;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        Node expr() throws SyntaxError {
            Node left = term();
            while (peek("&&") || peek("||")) {
                String op = next();
                left = new Logic(left, op, term());
            }
            return left;
        }

        Node term() throws SyntaxError {
            if (peek("!")) {
                next();
                return new Not(comparison());
            }
            return comparison();
        }

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

        Node atom() throws SyntaxError {
            if (position >= tokens.size()) {
                throw new SyntaxError("unexpected end of expression");
            }
            String token = next();
            if (token.equals("(")) {
                Node inner = expr();
                if (!peek(")")) {
                    throw new SyntaxError("missing )");
                }
                next();
                return new Group(inner);
            }
            if (token.startsWith("$") && token.length() > 1) {
                while (peek(".")) {
                    // The link form $a.b hangs real 0.96; here it simply reads nothing.
                    next();
                    next();
                    return new Invalid();
                }
                return new Field(token.substring(1));
            }
            if (token.startsWith("#")) {
                return new Invalid();
            }
            if (token.startsWith("\"")) {
                return new Literal(token.substring(1, token.length() - 1));
            }
            if (token.startsWith("~")) {
                return new Invalid();
            }
            if (Character.isDigit(token.charAt(0))) {
                return new Number(Long.parseLong(token.length() > 18 ? token.substring(token.length() - 18) : token));
            }
            if (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_') {
                return new Invalid();
            }
            throw new SyntaxError("unexpected '" + token + "'");
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
