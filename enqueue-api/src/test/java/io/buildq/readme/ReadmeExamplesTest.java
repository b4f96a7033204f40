package io.buildq.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of the README compiles against this library as it is. An example is the body
 * of a method that is given what the README says it takes as given; its imports are its own.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    /** What the README's examples take as given: "dataSource, templateXml, credentialsXml, imageId, errors". */
    private static final String GIVEN = "javax.sql.DataSource dataSource, String templateXml, String credentialsXml, "
            + "java.util.UUID imageId, java.util.Map<String, String> errors";

    @Test
    void everyJavaExampleOfTheReadmeCompiles(@TempDir Path classes) throws IOException {
        List<String> examples = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(Files.readString(README, StandardCharsets.UTF_8));
        while (block.find()) {
            examples.add(block.group(1));
        }
        assertThat(examples).as("Java examples in the README").hasSizeGreaterThanOrEqualTo(2);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        for (int i = 0; i < examples.size(); i++) {
            String source = asClass("ReadmeExample" + (i + 1), examples.get(i));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            boolean compiled = compiler.getTask(null, null, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none"),
                    null, List.of(new Source("ReadmeExample" + (i + 1), source))).call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                    .map(diagnostic -> "line " + diagnostic.getLineNumber() + ": " + diagnostic.getMessage(null)).toList();
            assertThat(errors).as("README example %d:%n%s", i + 1, source).isEmpty();
            assertThat(compiled).isTrue();
        }
    }

    /** The example's imports, then its statements as the body of a method given what the README names. */
    private static String asClass(String name, String example) {
        StringBuilder imports = new StringBuilder("import java.util.List;\nimport java.util.UUID;\n");
        StringBuilder body = new StringBuilder();
        for (String line : example.split("\n", -1)) {
            if (line.startsWith("import ")) {
                imports.append(line).append('\n');
            } else {
                body.append("        ").append(line).append('\n');
            }
        }
        return imports + "\nclass " + name + " {\n    void run(" + GIVEN + ") throws Exception {\n" + body + "    }\n}\n";
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
