package io.buildq.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpCallMeterTest {

    @Test
    void routesNameTheKindOfCallNotTheImage() {
        assertThat(HttpCallMeter.route("/imagefactory/target_images/6c2d7a0e-5f7b-4b0e-9d7c-2f1a3b4c5d6e"))
                .isEqualTo("/imagefactory/target_images/{id}");
        assertThat(HttpCallMeter.route("/imagefactory/base_images/6c2d7a0e-5f7b-4b0e-9d7c-2f1a3b4c5d6e/target_images"))
                .isEqualTo("/imagefactory/base_images/{id}/target_images");
        assertThat(HttpCallMeter.route("/images/_query")).isEqualTo("/images/_query");
        assertThat(HttpCallMeter.route("/provider_images/ami-0123abcd")).isEqualTo("/provider_images/{id}");
        assertThat(HttpCallMeter.route("/images/42/target")).isEqualTo("/images/{id}/target");
        assertThat(HttpCallMeter.route("/imagefactory/targets/ec2")).isEqualTo("/imagefactory/targets/ec2");
        assertThat(HttpCallMeter.route("/")).isEqualTo("/");
    }
}
