package io.buildq.factory;

import io.buildq.internal.job.FactoryStatus;
/**
 * What factory says about one image, from a POST or GET response or from a status callback.
 *
 * @param type                      factory's {@code _type}: BaseImage, TargetImage or ProviderImage
 * @param percent                   {@code percent_complete}; real factory leaves it at 0
 * @param activity                  {@code status_detail.activity}
 * @param error                     {@code status_detail.error}, null unless the build failed
 * @param icicle                    the package manifest XML, once the OS is installed
 * @param target                    target images: the cloud type
 * @param provider                  provider images: what the push named as provider
 * @param identifierOnProvider      provider images: the cloud's id for the pushed image (an AMI id...)
 * @param providerAccountIdentifier provider images: the account it was pushed with
 * @param baseImageId               target images: the base image it is built on (in the 202 and on GET)
 * @param startMarker               the start marker buildq put in the image's parameters; null for none
 */
public record FactoryImage(String id, String type, FactoryStatus status, int percent, String activity, String error,
                           String icicle, String target, String provider, String identifierOnProvider,
                           String providerAccountIdentifier, String baseImageId,
                           String startMarker) {
}
