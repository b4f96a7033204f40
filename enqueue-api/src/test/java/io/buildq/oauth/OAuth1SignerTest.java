package io.buildq.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The signer against the worked examples published with the OAuth specifications. */
class OAuth1SignerTest {

    @Test
    void signsRfc5849Section1Point2sExample() {
        // RFC 5849 section 1.2: GET http://photos.example.net/photos?file=vacation.jpg&size=original
        List<String[]> params = List.of(
                new String[] {"file", "vacation.jpg"}, new String[] {"size", "original"},
                new String[] {"oauth_consumer_key", "dpf43f3p2l4k3l03"}, new String[] {"oauth_token", "nnch734d00sl2jdk"},
                new String[] {"oauth_signature_method", "HMAC-SHA1"}, new String[] {"oauth_timestamp", "137131202"},
                new String[] {"oauth_nonce", "chapoH"});

        assertThat(OAuth1Signer.signature("GET", "http://photos.example.net/photos", params, "kd94hf93k423kf44",
                "pfkkdhi9sl3r4s00")).isEqualTo("MdpQcU8iPSUjWoN/UDMsK2sui9I=");
    }

    @Test
    void signsTheOAuthCore10AppendixAExample() {
        // OAuth Core 1.0, appendix A.5: the same request with oauth_version and another nonce and time.
        List<String[]> params = List.of(
                new String[] {"file", "vacation.jpg"}, new String[] {"size", "original"},
                new String[] {"oauth_consumer_key", "dpf43f3p2l4k3l03"}, new String[] {"oauth_token", "nnch734d00sl2jdk"},
                new String[] {"oauth_signature_method", "HMAC-SHA1"}, new String[] {"oauth_timestamp", "1191242096"},
                new String[] {"oauth_nonce", "kllo9940pd9333jh"}, new String[] {"oauth_version", "1.0"});

        assertThat(OAuth1Signer.signature("GET", "http://photos.example.net/photos", params, "kd94hf93k423kf44",
                "pfkkdhi9sl3r4s00")).isEqualTo("tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    }

    @Test
    void theBaseUrlDropsDefaultPortsAndLowerCasesTheHost() {
        assertThat(OAuth1Signer.baseUrl(HttpUrl.get("HTTP://Factory.Example:80/imagefactory/target_images?x=1")))
                .isEqualTo("http://factory.example/imagefactory/target_images");
        assertThat(OAuth1Signer.baseUrl(HttpUrl.get("http://factory:8075/imagefactory")))
                .isEqualTo("http://factory:8075/imagefactory");
    }

    @Test
    void encodesReservedCharactersAsRfc3986Says() {
        assertThat(OAuth1Signer.encode("a b+c/~é")).isEqualTo("a%20b%2Bc%2F~%C3%A9");
    }
}
