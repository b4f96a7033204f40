package io.buildq.push;

import io.buildq.build.Target;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A provider account to push to, as Conductor knows it. {@link #toString()} never shows the
 * credentials.
 *
 * @param providerName    the provider's name, e.g. {@code ec2-us-east-1}: iwhd's {@code provider} attribute
 * @param target          the target the account takes images of, e.g. {@code ec2}
 * @param factoryProvider the provider as Image Factory expects it: a region name, or for Tim the
 *                        JSON string, e.g. {@code {"name": "ec2-us-east-1"}}
 * @param credentials     the credentials XML Conductor sends ({@code <provider_account>} or
 *                        {@code <provider_credentials>}), at most {@value #MAX_CREDENTIALS_BYTES} bytes in UTF-8
 */
public record ProviderAccount(String providerName, String target, String factoryProvider, String credentials) {

    public static final int MAX_CREDENTIALS_BYTES = 64 * 1024;

    public ProviderAccount {
        if (providerName == null || providerName.isBlank() || providerName.codePointCount(0, providerName.length()) > 255
                || providerName.chars().anyMatch(Character::isISOControl) || providerName.indexOf('"') >= 0) {
            throw new InvalidAccountException("the provider name is required: 1 to 255 characters, no control"
                    + " characters or double quotes");
        }
        if (target == null || Target.byId(target).isEmpty()) {
            throw new InvalidAccountException("account " + providerName + ": unknown target '" + target + "'");
        }
        if (factoryProvider == null || factoryProvider.isBlank() || factoryProvider.codePointCount(0, factoryProvider.length()) > 4096) {
            throw new InvalidAccountException("account " + providerName + ": the factory provider string is required"
                    + " (1 to 4096 characters)");
        }
        if (credentials == null || credentials.isBlank()) {
            throw new InvalidAccountException("account " + providerName + ": the credentials are required");
        }
        // In bytes: they are stored sealed, and a sealed value's size follows the UTF-8 bytes sealed.
        if (credentials.getBytes(StandardCharsets.UTF_8).length > MAX_CREDENTIALS_BYTES) {
            throw new InvalidAccountException("account " + providerName + ": the credentials exceed "
                    + MAX_CREDENTIALS_BYTES + " bytes in UTF-8");
        }
        String root = credentialsRoot(credentials, providerName);
        if (!root.equals("provider_account") && !root.equals("provider_credentials")) {
            throw new InvalidAccountException("account " + providerName + ": the credentials' root element must be"
                    + " <provider_account> or <provider_credentials>, not <" + root + ">");
        }
    }

    /**
     * The account's login as factory reports it in {@code provider_account_identifier}: the EC2
     * access key, or the user name of other providers; empty if the credentials name neither.
     */
    public String accountIdentifier() {
        Document document = parse(credentials, providerName);
        for (String name : new String[] {"access_key", "username"}) {
            NodeList nodes = document.getElementsByTagName(name);
            if (nodes.getLength() > 0) {
                return ((Element) nodes.item(0)).getTextContent().strip();
            }
        }
        return "";
    }

    @Override
    public String toString() {
        return "ProviderAccount[providerName=" + providerName + ", target=" + target + ", factoryProvider="
                + factoryProvider + ", credentials=(hidden)]";
    }

    private static String credentialsRoot(String credentials, String providerName) {
        return parse(credentials, providerName).getDocumentElement().getTagName();
    }

    private static Document parse(String credentials, String providerName) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            return builder.parse(new InputSource(new StringReader(credentials)));
        } catch (Exception e) {
            // The parser's message could quote the credentials: say only where it failed.
            throw new InvalidAccountException("account " + providerName + ": the credentials are not well-formed XML");
        }
    }
}
