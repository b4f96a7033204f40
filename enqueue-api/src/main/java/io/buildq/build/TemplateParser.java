package io.buildq.build;

import java.io.IOException;
import java.io.StringReader;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a template just far enough to check it: well-formed XML, and the name of its root element.
 *
 * <p>A streaming (SAX) parse, since nothing of the document is kept, by parsers that are made once
 * and reused: making a JDK parser (its configuration, its symbol tables) cost more than parsing a
 * template, and a good part of an enqueue's CPU went to it (issue #18). A parser is used by one
 * thread at a time, taken from the pool and given back reset.
 */
final class TemplateParser {

    /** No DTDs and no external entities: a template is data from users, not a reason to read files. */
    private static final SAXParserFactory SECURE = secureFactory();

    private static final int POOLED_AT_MOST = 16;

    private static final Queue<SAXParser> POOL = new ConcurrentLinkedQueue<>();

    private TemplateParser() {
    }

    /**
     * @return the root element's name
     * @throws SAXException the text is not well-formed XML, or declares a DTD
     */
    static String rootElement(String xml) throws SAXException, IOException {
        SAXParser parser = POOL.poll();
        if (parser == null) {
            parser = newParser();
        }
        RootElement root = new RootElement();
        try {
            parser.parse(new InputSource(new StringReader(xml)), root);
        } finally {
            parser.reset();
            if (POOL.size() < POOLED_AT_MOST) {
                POOL.offer(parser);
            }
        }
        return root.name;
    }

    private static SAXParser newParser() {
        try {
            return SECURE.newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured", e);
        }
    }

    private static SAXParserFactory secureFactory() {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured", e);
        }
        factory.setXIncludeAware(false);
        factory.setNamespaceAware(false);
        return factory;
    }

    /** Notes the first element's name; its default error handling throws on any fatal error. */
    private static final class RootElement extends DefaultHandler {
        String name;

        @Override
        public void startElement(String uri, String localName, String qualifiedName, Attributes attributes) {
            if (name == null) {
                name = qualifiedName;
            }
        }
    }
}
