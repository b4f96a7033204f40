package io.buildq.factory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds the images factory holds that carry a start marker: the way back to an image whose 202
 * never arrived (a read timeout, a cut connection, a proxy's 502, a worker killed in between).
 *
 * <p>Factory's lists give references only ({@code list_images}: every record of the storage
 * directory, orphans included, real-install-notes.md Q8), so reading an image's parameters costs
 * one GET. Parameters never change once factory stored them, so an image seen without this
 * worker's marker is remembered and never read again: a search costs one GET per image factory
 * created since the last search, plus one per match. {@link #gets()} counts them.
 */
public final class MarkedImages {

    /** The image's marker as first read ("" for none), for images that did not match then. */
    private final Map<String, String> markers = new ConcurrentHashMap<>();
    private final AtomicLong gets = new AtomicLong();
    private final FactoryClient factory;

    public MarkedImages(FactoryClient factory) {
        this.factory = factory;
    }

    /** The target images that carry {@code marker}, as GET shows them now. */
    public List<FactoryImage> targetImages(String marker) {
        return find(marker, factory::listTargetImages, factory::getTargetImage);
    }

    /** The provider images that carry {@code marker}, as GET shows them now. */
    public List<FactoryImage> providerImages(String marker) {
        return find(marker, factory::listProviderImages, factory::getProviderImage);
    }

    /** The base images that carry {@code marker}: a target built from a template hands it to its base image. */
    public List<FactoryImage> baseImages(String marker) {
        return find(marker, factory::listBaseImages, factory::getBaseImage);
    }

    /** GETs of single images that searches made, in this process. */
    public long gets() {
        return gets.get();
    }

    private List<FactoryImage> find(String marker, Supplier<List<String>> list, Function<String, FactoryImage> get) {
        List<FactoryImage> found = new ArrayList<>();
        for (String id : list.get()) {
            String known = markers.get(id);
            if (known != null && !known.equals(marker)) {
                continue;
            }
            FactoryImage image;
            try {
                gets.incrementAndGet();
                image = get.apply(id);
            } catch (FactoryException e) {
                if (e.status() == 404) {
                    continue; // deleted since the list was read
                }
                throw e;
            }
            String seen = image.startMarker() == null ? "" : image.startMarker();
            if (seen.equals(marker)) {
                found.add(image);
            } else {
                markers.put(id, seen);
            }
        }
        return found;
    }
}
