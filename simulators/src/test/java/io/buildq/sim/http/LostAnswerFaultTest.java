package io.buildq.sim.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.iwhd.IwhdSimulator;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The fault that acts after the service: the request is handled in full, then its answer is lost. */
class LostAnswerFaultTest {

    private static final MediaType JSON = MediaType.get("application/json");
    // No silent retry of the POST by OkHttp itself: what the test sends is what the simulator gets.
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aChosenFactoryPostCreatesItsImageAndClosesTheConnectionUnanswered() throws IOException {
        try (FactorySimulator factory = FactorySimulator.builder().start()) {
            factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", false);

            assertThatThrownBy(() -> post(factory.baseUrl() + "/target_images")).isInstanceOf(IOException.class);

            assertThat(factory.createdTargetImages()).as("factory acted before the answer was lost").isEqualTo(1);
            // Only the chosen request: the next one is answered.
            try (Response answered = post(factory.baseUrl() + "/target_images")) {
                assertThat(answered.code()).isEqualTo(202);
            }
            assertThat(factory.createdTargetImages()).isEqualTo(2);
        }
    }

    @Test
    void aHeldAnswerIsNeverSentThoughTheImageExists() {
        try (FactorySimulator factory = FactorySimulator.builder().start()) {
            factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", true);

            assertThatThrownBy(() -> post(factory.baseUrl() + "/target_images"))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(factory.createdTargetImages()).isEqualTo(1);
        }
    }

    @Test
    void anIwhdWriteWhoseAnswerIsLostIsWrittenAllTheSame() throws IOException {
        try (IwhdSimulator iwhd = IwhdSimulator.builder().start()) {
            send(new Request.Builder().url(iwhd.baseUrl() + "/images").put(RequestBody.create(new byte[0])).build()).close();
            iwhd.faults().set(FaultSettings.none().withLoseAnswerRate(1));

            assertThatThrownBy(() -> send(new Request.Builder().url(iwhd.baseUrl() + "/images/i1/color")
                    .put(RequestBody.create("blue", MediaType.get("text/plain"))).build()))
                    .isInstanceOf(IOException.class);

            iwhd.faults().set(FaultSettings.none());
            try (Response read = send(new Request.Builder().url(iwhd.baseUrl() + "/images/i1/color").get().build())) {
                assertThat(read.code()).isEqualTo(200);
                assertThat(read.body().string()).isEqualTo("blue");
            }
        }
    }

    @Test
    void theRateIsSettableAsJsonLikeTheOtherFaults() {
        FaultSettings settings = FaultSettings.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("loseAnswerRate", 0.25).put("seed", 3));
        assertThat(settings.loseAnswerRate()).isEqualTo(0.25);
        assertThat(settings.toJson(new com.fasterxml.jackson.databind.ObjectMapper()).path("loseAnswerRate").asDouble())
                .isEqualTo(0.25);
    }

    private Response post(String url) throws IOException {
        return send(new Request.Builder().url(url).header("Accept", "application/json")
                .post(RequestBody.create("{\"target_image\": {\"target\": \"ec2\", \"template\": \"<template/>\"}}", JSON))
                .build());
    }

    private Response send(Request request) throws IOException {
        return http.newCall(request).execute();
    }
}
